import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { divergedBranches } from "../../tests/support/diverged.ts";
import { parseStatusV2, treeState, unresolvedConflicts } from "./tree.ts";

test("porcelain v2 status: HEAD, changed, renamed, untracked; rally-owned paths dropped", () => {
  const text = [
    "# branch.oid 0123456789abcdef0123456789abcdef01234567",
    "# branch.head main",
    "1 .M N... 100644 100644 100644 aaaa bbbb src/a file.ts",
    "1 A. N... 000000 100644 100644 0000 cccc new.ts",
    "2 R. N... 100644 100644 100644 dddd dddd R100 renamed.ts",
    "old-name.ts",
    "? notes/todo.md",
    "? .rally/summary.jsonl",
    "1 .M N... 100644 100644 100644 eeee ffff .laps/laps.json",
    "",
  ].join("\0");
  const { head, entries } = parseStatusV2(text);
  expect(head).toBe("0123456789abcdef0123456789abcdef01234567");
  expect([...entries]).toEqual([
    ["src/a file.ts", "M "],
    ["new.ts", "A "],
    ["renamed.ts", "R "],
    ["notes/todo.md", "??"],
  ]);
  expect(parseStatusV2("# branch.oid (initial)\0# branch.head main\0").head).toBe("");
});

test("unresolved conflicts: unmerged files that still hold markers, not those resolved by hand or deleted", async () => {
  const repo = mkdtempSync(join(tmpdir(), "rally-conflicts-"));
  try {
    const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@t" };
    const git = (...args: string[]) => Bun.spawnSync(["git", ...args], { cwd: repo, env, stdout: "pipe", stderr: "pipe" }).exitCode;
    git("init", "-q", "-b", "main");
    divergedBranches(repo, env, ["kept.txt", "by-hand.txt", "deleted.txt"]);
    expect(git("merge", "other")).not.toBe(0);
    writeFileSync(join(repo, "by-hand.txt"), "ours and theirs\n");
    unlinkSync(join(repo, "deleted.txt"));
    const state = await treeState(repo);
    expect([...state.dirty.keys()].sort()).toEqual(["by-hand.txt", "deleted.txt", "kept.txt"]);
    expect(unresolvedConflicts(repo, state)).toEqual(["kept.txt"]);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
