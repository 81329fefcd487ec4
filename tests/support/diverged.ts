import { writeFileSync } from "node:fs";
import { join } from "pathe";

/**
 * In the git repo at `repo` (already initialised): commits `files` as "base", then changes every
 * one of them differently on a new branch `other` ("theirs") and on the current branch ("ours"),
 * ending on the current branch. Merging, rebasing onto or cherry-picking `other` then stops on a
 * conflict in each file. Returns the current branch's name.
 */
export function divergedBranches(repo: string, env: Record<string, string | undefined>, files: string[] = ["f.txt"]): string {
  const git = (...args: string[]) => {
    const r = Bun.spawnSync(["git", ...args], { cwd: repo, env, stdout: "pipe", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
    return r.stdout.toString().trim();
  };
  const commit = (content: string) => {
    for (const f of files) writeFileSync(join(repo, f), `${content}\n`);
    git("add", "--", ...files);
    git("commit", "-qm", content);
  };
  commit("base");
  const current = git("rev-parse", "--abbrev-ref", "HEAD");
  git("checkout", "-qb", "other");
  commit("theirs");
  git("checkout", "-q", current);
  commit("ours");
  return current;
}
