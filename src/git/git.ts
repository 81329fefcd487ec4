import { exec, type ExecResult } from "../sys/exec.ts";

// Every git call is an argv array; parsing of output stays in small pure helpers.

export function git(cwd: string, args: string[]): Promise<ExecResult> {
  return exec(["git", ...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
}

/** `git rev-parse --show-toplevel`, or undefined outside a work tree (or without git). */
export async function findRepoRoot(cwd: string): Promise<string | undefined> {
  const r = await git(cwd, ["rev-parse", "--show-toplevel"]);
  return r.code === 0 ? r.stdout.trim() || undefined : undefined;
}

const identityCache = new Map<string, Promise<string[]>>();

/**
 * `-c user.name=Rally -c user.email=rally@localhost` for whichever identity part the repo lacks,
 * so rally's commits work on machines that never configured git. Looked up once per repo per
 * process: a relay commits several times per iteration.
 */
export function fallbackIdentityArgs(cwd: string): Promise<string[]> {
  let cached = identityCache.get(cwd);
  if (!cached) {
    cached = lookupIdentity(cwd);
    identityCache.set(cwd, cached);
  }
  return cached;
}

async function lookupIdentity(cwd: string): Promise<string[]> {
  // Both keys from one process. -z lists each setting as "key\nvalue\0"; a key set in several
  // files is listed once per file, and the last one is the value git uses.
  const r = await git(cwd, ["config", "-z", "--get-regexp", "^user\\.(name|email)$"]);
  const values = new Map<string, string>();
  for (const entry of r.stdout.split("\0")) {
    const nl = entry.indexOf("\n");
    if (entry) values.set(nl < 0 ? entry : entry.slice(0, nl), nl < 0 ? "" : entry.slice(nl + 1).trim());
  }
  const args: string[] = [];
  if (!values.get("user.name")) args.push("-c", "user.name=Rally");
  if (!values.get("user.email")) args.push("-c", "user.email=rally@localhost");
  return args;
}

export interface PathCommitResult {
  committed: boolean;
  error?: string;
}

/**
 * Commit exactly `paths` (path-scoped: nothing else staged or dirty is swept in).
 * Paths git refuses to add (ignored, missing) are skipped; no staged change → no commit.
 */
export async function commitPaths(
  cwd: string,
  paths: string[],
  message: string,
  opts: { verify?: boolean } = {},
): Promise<PathCommitResult> {
  for (const p of paths) await git(cwd, ["add", "--", p]);
  const staged = await git(cwd, ["diff", "--cached", "--name-only", "--", ...paths]);
  if (staged.code !== 0 || !staged.stdout.trim()) return { committed: false };
  const identity = await fallbackIdentityArgs(cwd);
  const verify = opts.verify ? [] : ["--no-verify"];
  const r = await git(cwd, [...identity, "commit", ...verify, "-q", "-m", message, "--", ...paths]);
  if (r.code === 0) return { committed: true };
  const error = (r.stderr || r.stdout).trim();
  return /nothing (added )?to commit/.test(error) ? { committed: false } : { committed: false, error };
}
