import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "pathe";
import { divergedBranches } from "../support/diverged.ts";
import { gitSync } from "../support/rally.ts";
import { relaySandbox, type RelaySandbox } from "../support/relay-fixture.ts";

// A relay started in the middle of a merge that stopped on conflicts. rally's auto-commit is
// `git add -A && git commit`: on unresolved files that would record the conflict markers and
// conclude the user's merge. It must not; once the conflicts are resolved, committing is what
// concludes the merge, as it would be for a person.

/** A merge of branch `other` into the current branch, stopped on a conflict in f.txt. */
function conflictedMerge(s: RelaySandbox): string {
  divergedBranches(s.repo, s.env);
  const merge = Bun.spawnSync(["git", "merge", "other"], { cwd: s.repo, env: s.env });
  expect(merge.exitCode).not.toBe(0);
  expect(readFileSync(join(s.repo, "f.txt"), "utf8")).toContain("<<<<<<<");
  return gitSync(s.repo, s.env, ["rev-parse", "HEAD"]).trim();
}

describe("a relay in a repository with a merge in progress", () => {
  test("files still holding conflict markers are never committed; the merge stays the user's", async () => {
    await using s = await relaySandbox();
    const head = conflictedMerge(s);
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"], { script: "write:notes.txt=hello,say:wrote notes" });
    expect(r.stderr).toContain("warning: a merge is in progress in this repository");
    expect(r.stderr).toContain("not committed: f.txt still has conflict markers");
    expect(gitSync(s.repo, s.env, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(existsSync(join(s.repo, ".git", "MERGE_HEAD"))).toBe(true);
    expect(readFileSync(join(s.repo, "f.txt"), "utf8")).toContain("<<<<<<<");
    const [t] = s.tries();
    expect(t).toMatchObject({ commit_hash: "", files_changed: expect.arrayContaining(["notes.txt"]) });
  });

  test("once the agent resolves the conflict, the auto-commit concludes the merge", async () => {
    await using s = await relaySandbox();
    const head = conflictedMerge(s);
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "resolve the merge"], { script: "write:f.txt=ours and theirs\n,say:resolved" });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("not committed");
    const parents = gitSync(s.repo, s.env, ["log", "-1", "--format=%P"]).trim().split(" ");
    expect(parents).toHaveLength(2);
    expect(parents[0]).toBe(head);
    expect(existsSync(join(s.repo, ".git", "MERGE_HEAD"))).toBe(false);
    expect(s.tries()[0]!.commit_hash).toBe(gitSync(s.repo, s.env, ["rev-parse", "HEAD"]).trim());
  });
});
