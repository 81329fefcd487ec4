import { existsSync } from "node:fs";
import { join } from "pathe";
import { gitDirOf } from "./git-dir.ts";

// A git operation the user (or an agent) started and has not finished: a merge, rebase,
// cherry-pick or revert that stopped, typically on conflicts. rally's auto-commit would finish
// it for them, so the relay says so when it starts.

export interface GitOperation {
  /** "merge", "rebase", … as the user would say it. */
  name: string;
  /** How to finish it and how to drop it. */
  proceed: string;
  abort: string;
}

/** The markers git leaves in the git dir while each operation is stopped, in the order git checks them. */
const OPERATIONS: { marker: string; op: GitOperation }[] = [
  { marker: "rebase-merge", op: { name: "rebase", proceed: "git rebase --continue", abort: "git rebase --abort" } },
  { marker: "rebase-apply", op: { name: "rebase", proceed: "git rebase --continue", abort: "git rebase --abort" } },
  { marker: "MERGE_HEAD", op: { name: "merge", proceed: "git commit", abort: "git merge --abort" } },
  { marker: "CHERRY_PICK_HEAD", op: { name: "cherry-pick", proceed: "git cherry-pick --continue", abort: "git cherry-pick --abort" } },
  { marker: "REVERT_HEAD", op: { name: "revert", proceed: "git revert --continue", abort: "git revert --abort" } },
];

/** The unfinished operation in the work tree at `root`, if its files show one. */
export function unfinishedOperation(root: string, env: Record<string, string | undefined> = process.env): GitOperation | undefined {
  const gitDir = gitDirOf(root, env);
  if (!gitDir) return undefined;
  return OPERATIONS.find(({ marker }) => existsSync(join(gitDir, marker)))?.op;
}
