import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "pathe";

// HEAD's hash read from the repository's files instead of a `git rev-parse` process: rally asks
// right after each of its own commits, and a process per commit is a large share of a relay
// iteration. Only the plain layout is read (a `.git` directory or a `gitdir:` file, loose refs,
// which git always writes when it moves a branch); anything else — reftable, an overridden
// GIT_DIR, a ref that is not a full hash — answers undefined and the caller asks git.

const FULL_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function headFromRefFiles(root: string, env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.GIT_DIR || env.GIT_COMMON_DIR) return undefined;
  try {
    const gitDir = resolveGitDir(root);
    if (!gitDir) return undefined;
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    if (FULL_HASH.test(head)) return head; // detached
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    // A worktree keeps HEAD in its own git dir and branches in the common one.
    for (const dir of [gitDir, commonDir(gitDir)]) {
      const value = readIfExists(join(dir, ref))?.trim();
      if (value !== undefined) return FULL_HASH.test(value) ? value : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

function resolveGitDir(root: string): string | undefined {
  const dotGit = join(root, ".git");
  if (statSync(dotGit).isDirectory()) return dotGit;
  const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
  return pointer ? resolve(root, pointer) : undefined;
}

function commonDir(gitDir: string): string {
  const pointer = readIfExists(join(gitDir, "commondir"))?.trim();
  return pointer ? resolve(gitDir, pointer) : gitDir;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
