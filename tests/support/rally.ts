import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";

// Test fixtures: throwaway git repos with an isolated HOME, and rally run as a real process.

export const ROOT = join(import.meta.dir, "..", "..");
export const MAIN = join(ROOT, "src", "main.ts");

export interface Sandbox extends AsyncDisposable {
  dir: string;
  home: string;
  repo: string;
  env: Record<string, string>;
}

export interface SandboxOptions {
  /** Create the repo with `git init` and one commit (default true). */
  git?: boolean;
  /** Configure user.name/email in the repo (default true). */
  identity?: boolean;
}

export function sandbox(opts: SandboxOptions = {}): Sandbox {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rally-test-")));
  const home = join(dir, "home");
  const repo = join(dir, "repo");
  mkdirSync(home, { recursive: true });
  mkdirSync(repo, { recursive: true });
  const env = isolatedEnv(home);
  if (opts.git !== false) {
    gitSync(repo, env, ["init", "-q", "-b", "main"]);
    if (opts.identity !== false) {
      gitSync(repo, env, ["config", "user.email", "t@t.com"]);
      gitSync(repo, env, ["config", "user.name", "T"]);
    }
    writeFileSync(join(repo, "init.txt"), "");
    gitSync(repo, env, ["add", "."]);
    gitSync(repo, { ...env, GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@t.com", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@t.com" }, ["commit", "-qm", "init"]);
  }
  return {
    dir,
    home,
    repo,
    env,
    async [Symbol.asyncDispose]() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An environment with its own HOME and XDG dirs, and none of the developer's git config. */
export function isolatedEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    TMPDIR: process.env.TMPDIR ?? "/tmp",
    RALLY_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
    // Keep the developer's global git config (identity, hooks) out of the tests.
    GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
    GIT_CONFIG_NOSYSTEM: "1",
  };
}

export function gitSync(cwd: string, env: Record<string, string>, args: string[]): string {
  const r = Bun.spawnSync(["git", ...args], { cwd, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

export interface RallyResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Stops a rally that outlives its test's budget the way a service manager would: SIGTERM, so it
 * stops its agents' process groups on the way out (a SIGKILLed rally leaves them running, and
 * they would load every later test), then SIGKILL if it has not exited 10 s later.
 * Returns the function that cancels both.
 */
export function stopAfter(proc: Bun.Subprocess, ms: number): () => void {
  let kill: Timer | undefined;
  const term = setTimeout(() => {
    proc.kill("SIGTERM");
    kill = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  }, ms);
  return () => {
    clearTimeout(term);
    clearTimeout(kill);
  };
}

/** Run `bun src/main.ts …` (or a compiled binary via `bin`) as a real process. */
export async function rally(
  args: string[],
  opts: { cwd: string; env: Record<string, string>; stdin?: string; bin?: string[]; timeoutMs?: number },
): Promise<RallyResult> {
  const proc = Bun.spawn([...(opts.bin ?? [process.execPath, MAIN]), ...args], {
    cwd: opts.cwd,
    env: opts.env,
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const cancel = stopAfter(proc, opts.timeoutMs ?? 60_000);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  cancel();
  return { code, stdout, stderr };
}
