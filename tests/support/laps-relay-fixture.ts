import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { LAPS_BIN_DIR, pathWithLaps } from "./laps/testkit.ts";
import { MAIN, gitSync } from "./rally.ts";
import { jsonl, relaySandbox, type RelaySandbox } from "./relay-fixture.ts";

// A relay sandbox in laps mode: the test laps CLI on PATH, `laps init && laps on` done, and a
// `rally` shim so the laps hook scripts (and agents) call this checkout's rally.

export interface LapsRelaySandbox extends RelaySandbox {
  laps(args: string[]): { code: number; stdout: string; stderr: string };
  /** `laps add <position> --title … --description …`; returns the new id. */
  addLap(position: "head" | "tail", title: string, description: string, assignee?: string): string;
  queue(): { id: string; title: string; isDone: boolean; assignee?: string }[];
  summaries(): Record<string, any>[];
  commits(): string[];
  relayLog(): string;
}

export async function lapsRelaySandbox(harnesses?: Record<string, string>): Promise<LapsRelaySandbox> {
  const s = await relaySandbox(harnesses);
  const shimDir = join(s.dir, "bin");
  mkdirSync(shimDir, { recursive: true });
  const shim = join(shimDir, "rally");
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} "$@"\n`, { mode: 0o755 });
  // Mutate in place: the sandbox's run/spawn closures hold this same env object.
  Object.assign(s.env, { PATH: pathWithLaps(`${shimDir}:${s.env.PATH}`), RALLY_BIN: shim });
  const laps = (args: string[]) => {
    const r = Bun.spawnSync([join(LAPS_BIN_DIR, "laps"), ...args], { cwd: s.repo, env: s.env, stdout: "pipe", stderr: "pipe" });
    return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  };
  laps(["init"]);
  laps(["on"]);
  return Object.assign(s, {
    laps,
    addLap(position: "head" | "tail", title: string, description: string, assignee?: string) {
      const r = laps(["add", position, "--title", title, "--description", description, ...(assignee ? ["--assignee", assignee] : [])]);
      if (r.code !== 0) throw new Error(`laps add failed: ${r.stderr}`);
      return r.stdout.trim();
    },
    queue: () => JSON.parse(readFileSync(join(s.repo, ".laps", "laps.json"), "utf8")).tasks,
    summaries: () => jsonl(join(s.repo, ".rally", "summary.jsonl")),
    commits: () => gitSync(s.repo, s.env, ["log", "--format=%s"]).trim().split("\n").reverse(),
    relayLog: () => readFileSync(join(s.dataDir, "relays", requireOne(s.dataDir), "relay-1.log"), "utf8"),
  });
}

function requireOne(dataDir: string): string {
  const dirs = readdirSync(join(dataDir, "relays"));
  if (dirs.length !== 1) throw new Error(`expected one repo key dir, got ${dirs.join(", ")}`);
  return dirs[0]!;
}
