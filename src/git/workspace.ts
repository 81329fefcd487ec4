import { RallyError } from "../errors.ts";
import { findRepoRoot } from "./git.ts";

/** The workspace is the repo root (so subdirectories target it), else the current directory. */
export async function resolveWorkspace(cwd: string): Promise<{ root: string; isRepo: boolean }> {
  const root = await findRepoRoot(cwd);
  return root ? { root, isRepo: true } : { root: cwd, isRepo: false };
}

export async function requireRepo(cwd: string): Promise<string> {
  const root = await findRepoRoot(cwd);
  if (!root) {
    throw new RallyError("NOT_A_GIT_REPO", `${cwd} is not inside a git repository`, "run `git init` or cd into your project");
  }
  return root;
}
