import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { headFromRefFiles } from "./head-ref.ts";

const dir = realpathSync(mkdtempSync(join(tmpdir(), "rally-head-ref-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env: Record<string, string | undefined> = {
  ...process.env, GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@t", GIT_DIR: undefined,
};

function git(cwd: string, ...args: string[]): string {
  const r = Bun.spawnSync(["git", ...args], { cwd, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.toString().trim();
}

let n = 0;
function repo(): string {
  const root = join(dir, `repo-${++n}`);
  git(dir, "init", "-q", "-b", "main", root);
  writeFileSync(join(root, "a.txt"), "a\n");
  git(root, "add", "-A");
  git(root, "commit", "-qm", "first");
  return root;
}

describe("headFromRefFiles", () => {
  test("reads the branch HEAD points at, and follows a new commit", () => {
    const root = repo();
    expect(headFromRefFiles(root, env)).toBe(git(root, "rev-parse", "HEAD"));
    writeFileSync(join(root, "b.txt"), "b\n");
    git(root, "add", "-A");
    git(root, "commit", "-qm", "second");
    expect(headFromRefFiles(root, env)).toBe(git(root, "rev-parse", "HEAD"));
  });

  test("a detached HEAD holds the hash itself", () => {
    const root = repo();
    git(root, "checkout", "-q", "--detach");
    expect(headFromRefFiles(root, env)).toBe(git(root, "rev-parse", "HEAD"));
  });

  test("a linked worktree: HEAD in its own git dir, the branch in the common one", () => {
    const root = repo();
    const wt = join(dir, `wt-${n}`);
    git(root, "worktree", "add", "-q", "-b", "side", wt);
    writeFileSync(join(wt, "c.txt"), "c\n");
    git(wt, "add", "-A");
    git(wt, "commit", "-qm", "on side");
    expect(headFromRefFiles(wt, env)).toBe(git(wt, "rev-parse", "HEAD"));
    expect(headFromRefFiles(wt, env)).not.toBe(headFromRefFiles(root, env));
  });

  test("anything it cannot read for sure is left to git: packed refs, odd HEADs, GIT_DIR, no repo", () => {
    const packed = repo();
    git(packed, "pack-refs", "--all");
    expect(headFromRefFiles(packed, env)).toBeUndefined();

    const reftableLike = repo();
    writeFileSync(join(reftableLike, ".git", "HEAD"), "ref: refs/heads/.invalid\n");
    expect(headFromRefFiles(reftableLike, env)).toBeUndefined();

    const symref = repo();
    writeFileSync(join(symref, ".git", "refs", "heads", "alias"), "ref: refs/heads/main\n");
    writeFileSync(join(symref, ".git", "HEAD"), "ref: refs/heads/alias\n");
    expect(headFromRefFiles(symref, env)).toBeUndefined();

    const root = repo();
    expect(headFromRefFiles(root, { ...env, GIT_DIR: join(root, ".git") })).toBeUndefined();
    expect(headFromRefFiles(join(dir, "not-a-repo"), env)).toBeUndefined();
  });
});
