import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "pathe";

/** The relay's plain-text event log in the data dir: one event per line, appended. */
export function relayLogger(relaysDir: string, relayId: number): { path: string; log(line: string): void } {
  const path = join(relaysDir, `relay-${relayId}.log`);
  mkdirSync(dirname(path), { recursive: true });
  return { path, log: (line) => appendFileSync(path, line.endsWith("\n") ? line : line + "\n") };
}
