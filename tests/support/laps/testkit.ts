// Helpers for tests that drive the test laps CLI as a real process in throwaway git repos.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** Put this directory first on PATH to use the test laps. */
export const LAPS_BIN_DIR = join(import.meta.dir, "bin");

export function pathWithLaps(path = process.env.PATH ?? ""): string {
  return `${LAPS_BIN_DIR}${delimiter}${path}`;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function runLaps(cwd: string, args: string[], env: Record<string, string> = {}, stdin?: string): Run {
  const proc = Bun.spawnSync([join(LAPS_BIN_DIR, "laps"), ...args], {
    cwd,
    env: { ...process.env, PATH: pathWithLaps(), ...env },
    stdin: stdin === undefined ? "ignore" : Buffer.from(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: proc.exitCode ?? -1, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

export interface TempRepo {
  root: string;
  laps(args: string[], env?: Record<string, string>, stdin?: string): Run;
  /** Adds a lap and returns its id. */
  add(position: string, title: string, extra?: string[]): string;
  queue(): { version: number; tasks: Record<string, unknown>[] };
  writeHooks(hooks: object[]): void;
  cleanup(): void;
}

/** A fresh `git init` repo in `<tmp>/<dirName>`; `identity` sets a local user.name/email. */
export function tempRepo(dirName = "repo", opts: { identity?: boolean; init?: boolean } = {}): TempRepo {
  const base = mkdtempSync(join(tmpdir(), "laps-test-"));
  const root = join(base, dirName);
  mkdirSync(root);
  git(root, ["init", "-q", "-b", "main"]);
  if (opts.identity ?? true) {
    git(root, ["config", "user.name", "Test"]);
    git(root, ["config", "user.email", "test@example.com"]);
  }
  const repo: TempRepo = {
    root,
    laps: (args, env, stdin) => runLaps(root, args, env, stdin),
    add(position, title, extra = []) {
      const r = runLaps(root, ["add", ...position.split(" "), "--title", title, ...extra]);
      if (r.code !== 0) throw new Error(`laps add failed: ${r.stderr}`);
      return r.stdout.trim();
    },
    queue: () => JSON.parse(readFileSync(join(root, ".laps", "laps.json"), "utf8")),
    writeHooks(hooks) {
      mkdirSync(join(root, ".laps"), { recursive: true });
      writeFileSync(join(root, ".laps", "hooks.json"), JSON.stringify({ version: 1, hooks }, null, 2));
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
  if (opts.init ?? true) repo.laps(["init"]);
  return repo;
}

export function git(cwd: string, args: string[]): string {
  const proc = Bun.spawnSync(["git", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  if (proc.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${proc.stderr.toString()}`);
  return proc.stdout.toString();
}

export function hook(command: string, when: string, run: string, passback = true, title = `t-${command}-${when}`) {
  return { title, description: "", command, when, run, passback };
}

/**
 * A stub `rally` executable in `dir` that appends its argv (JSON) to `logPath` and exits with
 * `$RALLY_STUB_EXIT` (default 0) — enough to observe what rally's hook scripts call.
 */
export function writeStubRally(dir: string, logPath: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "rally");
  writeFileSync(path, `#!/usr/bin/env bun
import { appendFileSync } from "node:fs";
appendFileSync(${JSON.stringify(logPath)}, JSON.stringify(process.argv.slice(2)) + "\\n");
if (process.env.RALLY_STUB_STDERR) process.stderr.write(process.env.RALLY_STUB_STDERR + "\\n");
process.exitCode = Number(process.env.RALLY_STUB_EXIT ?? "0");
`, { mode: 0o755 });
  return path;
}

export function readJsonLines(path: string): unknown[] {
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}
