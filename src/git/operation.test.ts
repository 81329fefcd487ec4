import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { divergedBranches } from "../../tests/support/diverged.ts";
import { unfinishedOperation } from "./operation.ts";

// Real git in a temp repo: each operation stopped on a conflict, as a user would leave it.

const dir = mkdtempSync(join(tmpdir(), "rally-git-op-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@t" };
delete (env as Record<string, string | undefined>).GIT_DIR;
const git = (cwd: string, ...args: string[]) => Bun.spawnSync(["git", ...args], { cwd, env, stdout: "pipe", stderr: "pipe" }).exitCode;

/** A repo whose `main` and `other` both changed f.txt since their common base. */
function forked(name: string): string {
  const repo = join(dir, name);
  git(dir, "init", "-q", "-b", "main", repo);
  divergedBranches(repo, env);
  return repo;
}

describe("unfinishedOperation", () => {
  test("a clean repository has none", () => {
    expect(unfinishedOperation(forked("clean"), env)).toBeUndefined();
  });

  /** Reverting a commit conflicts once a later commit changed the same line. */
  const revertUnder = (repo: string) => {
    writeFileSync(join(repo, "f.txt"), "later\n");
    git(repo, "commit", "-qam", "later");
    return git(repo, "revert", "--no-edit", "HEAD~1");
  };

  test.each([
    ["merge", (repo: string) => git(repo, "merge", "other"), "git merge --abort"],
    ["rebase", (repo: string) => git(repo, "rebase", "other"), "git rebase --abort"],
    ["cherry-pick", (repo: string) => git(repo, "cherry-pick", "other"), "git cherry-pick --abort"],
    ["revert", revertUnder, "git revert --abort"],
  ] as const)("a %s stopped on a conflict", (name, stopOnConflict, abort) => {
    const repo = forked(name);
    expect(stopOnConflict(repo)).not.toBe(0);
    expect(unfinishedOperation(repo, env)).toMatchObject({ name, abort });
    expect(git(repo, ...abort.split(" ").slice(1))).toBe(0);
    expect(unfinishedOperation(repo, env)).toBeUndefined();
  });

  test("a linked worktree has its own: a merge in one is not seen from the other", () => {
    const repo = forked("worktrees");
    const linked = join(dir, "worktrees-linked");
    git(repo, "worktree", "add", "-q", linked, "other");
    expect(git(linked, "merge", "main")).not.toBe(0);
    expect(unfinishedOperation(linked, env)?.name).toBe("merge");
    expect(unfinishedOperation(repo, env)).toBeUndefined();
  });
});
