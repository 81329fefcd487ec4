// The I/O seam of the laps domain: argv-only process calls (sys/exec.ts by default, a fake in
// tests) and PATH lookup.
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { exec, type ExecOptions, type ExecResult } from "../sys/exec.ts";

export type Env = Record<string, string | undefined>;

/** Same shape as sys/exec.ts `exec`: argv[0] is the binary; never a shell string. */
export type LapsExec = (argv: string[], opts: ExecOptions) => Promise<ExecResult>;

export const spawnLaps: LapsExec = exec;

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` in the PATH list, like exec.LookPath; undefined when absent. */
export function findOnPath(name: string, pathList: string | undefined): string | undefined {
  for (const dir of (pathList ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Everything the laps domain needs from the outside world. */
export interface LapsDeps {
  exec: LapsExec;
  /** Environment for PATH lookup and for the laps child process. */
  env: Env;
  /** The running rally executable; a `laps` beside it is preferred by the version check. */
  rallyExecPath?: string;
}

/** A call context: workspace (cwd for every laps call), the binary to run, and how. */
export interface LapsContext {
  ws: string;
  bin: string;
  exec: LapsExec;
  env?: Env;
}

export function runLaps(ctx: LapsContext, args: string[]): Promise<ExecResult> {
  return ctx.exec([ctx.bin, ...args], { cwd: ctx.ws, env: ctx.env });
}
