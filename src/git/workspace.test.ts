import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { prefetchWorkspace, repoRootFromFiles, resolveWorkspace } from "./workspace.ts";

const dir = realpathSync(mkdtempSync(join(tmpdir(), "rally-workspace-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a prefetched lookup is used once, for its own directory only", async () => {
  const plain = join(dir, "plain");
  const other = join(dir, "other");
  mkdirSync(plain);
  mkdirSync(other);
  prefetchWorkspace(plain);
  const early = await resolveWorkspace(plain);
  expect(early).toEqual({ root: plain, isRepo: false });

  // Taken once: after `git init` the next lookup sees the repository.
  prefetchWorkspace(plain);
  await resolveWorkspace(plain);
  Bun.spawnSync(["git", "init", "-q", plain]);
  expect(await resolveWorkspace(plain)).toEqual({ root: plain, isRepo: true });

  // A prefetch for another directory is not an answer for this one.
  prefetchWorkspace(other);
  expect(await resolveWorkspace(plain)).toEqual({ root: plain, isRepo: true });
});

describe("repoRootFromFiles: git's answer without a git process", () => {
  const gitRoot = (cwd: string) => {
    const r = Bun.spawnSync(["git", "rev-parse", "--show-toplevel"], { cwd, stderr: "ignore" });
    return r.exitCode === 0 ? r.stdout.toString().trim() : undefined;
  };
  const layout = join(dir, "layout");
  const repo = join(layout, "repo");
  const sub = join(repo, "a", "b");
  const tree = join(layout, "tree");
  const plain = join(layout, "plain");
  beforeAll(() => {
    mkdirSync(sub, { recursive: true });
    mkdirSync(plain, { recursive: true });
    const git = (cwd: string, ...args: string[]) => Bun.spawnSync(["git", "-c", "user.name=T", "-c", "user.email=t@t", ...args], { cwd });
    git(repo, "init", "-q");
    git(repo, "commit", "-q", "--allow-empty", "-m", "init");
    git(repo, "worktree", "add", "-q", tree);
  });

  test.each([
    ["the repo root", () => repo, () => repo],
    ["a subdirectory", () => sub, () => repo],
    ["a linked worktree (.git is a file)", () => tree, () => tree],
    ["a directory outside any repo", () => plain, () => undefined],
  ])("%s: the same root git names", (_, cwd, expected) => {
    expect(repoRootFromFiles(cwd(), {})).toEqual({ root: expected() });
    expect(gitRoot(cwd())).toBe(expected());
  });

  test("cases git resolves by its own rules are left to git", () => {
    expect(repoRootFromFiles(sub, { GIT_DIR: join(repo, ".git") })).toBeUndefined();
    expect(repoRootFromFiles(sub, { GIT_CEILING_DIRECTORIES: layout })).toBeUndefined();
    expect(repoRootFromFiles(join(repo, ".git"), {})).toBeUndefined();
    // An empty `.git` directory is not a repository: git looks past it, the walk does not guess.
    const fake = join(repo, "fake");
    mkdirSync(join(fake, ".git"), { recursive: true });
    expect(repoRootFromFiles(fake, {})).toBeUndefined();
    expect(gitRoot(fake)).toBe(repo);
  });

  test("a repository whose work tree is set elsewhere (core.worktree) is left to git", () => {
    const moved = join(layout, "moved");
    mkdirSync(moved, { recursive: true });
    Bun.spawnSync(["git", "init", "-q", moved]);
    Bun.spawnSync(["git", "config", "core.worktree", plain], { cwd: moved });
    expect(repoRootFromFiles(moved, {})).toBeUndefined();
  });
});
