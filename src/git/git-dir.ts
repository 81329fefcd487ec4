import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "pathe";

// Where a work tree's repository files are, read from `.git` itself: a directory, or a
// `gitdir:` file (worktrees, submodules). Callers that need certainty fall back to git.

/** The git dir of the work tree at `root`, or undefined when GIT_DIR overrides it or `.git` is unreadable. */
export function gitDirOf(root: string, env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.GIT_DIR || env.GIT_COMMON_DIR) return undefined;
  try {
    const dotGit = join(root, ".git");
    if (statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
    return pointer ? resolve(root, pointer) : undefined;
  } catch {
    return undefined;
  }
}

/** The directory shared by all worktrees (branches live there); the git dir itself when it is not a worktree. */
export function commonDirOf(gitDir: string): string {
  try {
    const pointer = readFileSync(join(gitDir, "commondir"), "utf8").trim();
    return pointer ? resolve(gitDir, pointer) : gitDir;
  } catch {
    return gitDir;
  }
}
