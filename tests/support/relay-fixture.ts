import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { MAIN, rally, sandbox, type Sandbox } from "./rally.ts";

// An initialised workspace whose config defines custom harnesses that run the scripted agent,
// with rally's data dir inside the sandbox.

export const SCRIPTED_AGENT = join(import.meta.dir, "scripted-agent.ts");

export interface RelaySandbox extends Sandbox {
  dataDir: string;
  record: string;
  run(args: string[], opts?: { script?: string; stdin?: string; env?: Record<string, string>; timeoutMs?: number }): ReturnType<typeof rally>;
  /** Start rally in the background (stdin closed); the caller stops it. */
  spawn(args: string[], opts?: { script?: string; env?: Record<string, string> }): Bun.Subprocess;
  waitFor(cond: () => boolean, timeoutMs?: number): Promise<void>;
  tries(): Record<string, any>[];
  relays(): Record<string, any>[];
  invocations(): { argv: string[]; stdin: string; env: Record<string, string> }[];
  writeConfig(extra?: string): void;
}

export const jsonl = (path: string) =>
  existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];

export function harnessToml(name: string, extra = ""): string {
  return `[harness.${name}]\ncommand = [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPTED_AGENT)}, "$PROMPT"]\n${extra}\n`;
}

export async function relaySandbox(harnesses: Record<string, string> = { mine: "" }): Promise<RelaySandbox> {
  const s = sandbox();
  const dataDir = join(s.dir, "data");
  const record = join(s.dir, "invocations.jsonl");
  const env = { ...s.env, AGENT_RECORD: record, RALLY_BIN: `${process.execPath} ${MAIN}` };
  await rally(["init"], { cwd: s.repo, env });
  const writeConfig = (extra = "") =>
    writeFileSync(
      join(s.repo, ".rally", "config.toml"),
      `schema_version = 2\ndata_dir = ${JSON.stringify(dataDir)}\n${extra}\n` +
        Object.entries(harnesses).map(([n, x]) => harnessToml(n, x)).join("\n"),
    );
  writeConfig();
  return Object.assign(s, {
    dataDir,
    record,
    env,
    writeConfig,
    run: (args: string[], o: { script?: string; stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {}) =>
      rally(args, { cwd: s.repo, env: { ...env, ...(o.script ? { AGENT_SCRIPT: o.script } : {}), ...o.env }, stdin: o.stdin, timeoutMs: o.timeoutMs }),
    spawn: (args: string[], o: { script?: string; env?: Record<string, string> } = {}) =>
      Bun.spawn([process.execPath, MAIN, ...args], {
        cwd: s.repo, env: { ...env, ...(o.script ? { AGENT_SCRIPT: o.script } : {}), ...o.env }, stdin: "ignore", stdout: "pipe", stderr: "pipe",
      }),
    async waitFor(cond: () => boolean, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!cond()) {
        if (Date.now() > deadline) throw new Error("timed out waiting for the relay");
        await Bun.sleep(50);
      }
    },
    tries: () => jsonl(join(s.repo, ".rally/state/tries.jsonl")),
    relays: () => jsonl(join(s.repo, ".rally/state/relays.jsonl")),
    invocations: () => jsonl(record),
  });
}

/** Everything the workspace's relay logs hold (all relays, in file order). */
export function relayLogText(s: { dataDir: string }): string {
  const dir = join(s.dataDir, "relays");
  const key = existsSync(dir) ? readdirSync(dir)[0] : undefined;
  return key ? readdirSync(join(dir, key)).map((f) => readFileSync(join(dir, key, f), "utf8")).join("") : "";
}

export function appendRaw(path: string, text: string): void {
  appendFileSync(path, text);
}
