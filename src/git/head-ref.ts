import { readFileSync } from "node:fs";
import { join } from "pathe";
import { commonDirOf, gitDirOf } from "./git-dir.ts";

// HEAD's hash read from the repository's files instead of a `git rev-parse` process: rally asks
// right after each of its own commits, and a process per commit is a large share of a relay
// iteration. Only the plain layout is read (a `.git` directory or a `gitdir:` file, loose refs,
// which git always writes when it moves a branch); anything else — reftable, an overridden
// GIT_DIR, a ref that is not a full hash — answers undefined and the caller asks git.

const FULL_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function headFromRefFiles(root: string, env: Record<string, string | undefined> = process.env): string | undefined {
  const gitDir = gitDirOf(root, env);
  if (!gitDir) return undefined;
  try {
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    if (FULL_HASH.test(head)) return head; // detached
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    // A worktree keeps HEAD in its own git dir and branches in the common one.
    for (const dir of [gitDir, commonDirOf(gitDir)]) {
      const value = readIfExists(join(dir, ref))?.trim();
      if (value !== undefined) return FULL_HASH.test(value) ? value : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
