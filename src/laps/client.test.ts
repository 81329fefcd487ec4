// Integration: rally's laps client against the test laps CLI (tests/support/laps) on PATH.
import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { LAPS_BIN_DIR, pathWithLaps, tempRepo, type TempRepo } from "../../tests/support/laps/testkit.ts";
import {
  addFollowupLap, claimHeadLap, collectAssignees, getHeadLap, isLapDone, readClaimedLapId,
} from "./client.ts";
import { spawnLaps, type LapsContext } from "./exec.ts";

let repo: TempRepo;
afterEach(() => repo?.cleanup());

function ctx(env: Record<string, string> = {}): LapsContext {
  return { ws: repo.root, bin: join(LAPS_BIN_DIR, "laps"), exec: spawnLaps, env: { ...process.env, PATH: pathWithLaps(), ...env } };
}

describe("claimHeadLap", () => {
  test("claims the head: detail from stdout, id from .laps/claim, remaining from list", async () => {
    repo = tempRepo();
    const id = repo.add("tail", "Implement auth", ["--description", "Add login\\nendpoint", "--assignee", "alice"]);
    repo.add("tail", "Second");
    const r = await claimHeadLap(ctx());
    expect(r).toEqual({
      kind: "lap",
      lap: { id, title: "Implement auth", description: "Add login\nendpoint", assignee: "alice" },
      remaining: 2,
    });
    expect(readClaimedLapId(repo.root)).toBe(id);
    const head = await getHeadLap(ctx());
    expect(head).toEqual({ title: "Implement auth", description: "Add login\nendpoint", assignee: "alice" });
  });

  test("empty queue → none/empty (0.8 exit 3); get head → undefined", async () => {
    repo = tempRepo();
    expect(await claimHeadLap(ctx())).toEqual({ kind: "none", reason: "empty", exitCode: 3, detail: "laps: no head task" });
    expect(await getHeadLap(ctx())).toBeUndefined();
  });

  test("a missing binary is also no lap", async () => {
    repo = tempRepo();
    const r = await claimHeadLap({ ...ctx(), bin: join(repo.root, "no-such-laps") });
    expect(r).toMatchObject({ kind: "none", reason: "failed", exitCode: 127 });
  });

  test("malformed claim output throws LAPS_TASK_FORMAT", async () => {
    repo = tempRepo();
    const exec: LapsContext["exec"] = async () => ({ code: 0, stdout: "just a title\n", stderr: "" });
    await expect(claimHeadLap({ ...ctx(), exec })).rejects.toMatchObject({ code: "LAPS_TASK_FORMAT" });
  });

  test("laps 0.9 mode: JSON claim file is read by its `lap` field; 11/12 exits", async () => {
    repo = tempRepo();
    const env = { LAPS_FAKE_MODE: "0.9" };
    expect(await claimHeadLap(ctx(env))).toMatchObject({ kind: "none", reason: "empty", exitCode: 11 });
    const id = repo.add("tail", "A");
    const r = await claimHeadLap(ctx(env));
    expect(r.kind === "lap" && r.lap.id).toBe(id);
    expect(r.kind === "lap" && r.remaining).toBe(2); // two-line list: rally 0.10's doubled count
    repo.laps(["done"], env);
    expect(await claimHeadLap(ctx(env))).toMatchObject({ kind: "none", reason: "complete", exitCode: 12 });
  });

  test("the claim stays pinned when a new head is added; a re-claim takes the new head", async () => {
    repo = tempRepo();
    const a = repo.add("tail", "A");
    await claimHeadLap(ctx());
    const b = repo.add("head", "B");
    expect(readClaimedLapId(repo.root)).toBe(a);
    const again = await claimHeadLap(ctx());
    expect(again.kind === "lap" && again.lap.id).toBe(b);
  });
});

describe("addFollowupLap (spec 09 case 26 title rule)", () => {
  test("adds at the head with a 30-byte title and returns the printed id", async () => {
    repo = tempRepo();
    repo.add("tail", "Current task");
    const text = "Investigate the flaky auth integration test";
    expect(text.length).toBe(43);
    const r = await addFollowupLap(ctx(), text);
    expect(r.ok).toBe(true);
    const id = r.ok ? r.id : "";
    expect(id).toMatch(/^repo-[0-9a-f]{4,}$/);
    const head = repo.queue().tasks.find((t) => t.id === id)!;
    expect(head).toMatchObject({ title: "Investigate the flaky auth int...", description: text, isDone: false });
    expect((await getHeadLap(ctx()))?.title).toBe("Investigate the flaky auth int...");
  });

  test("a failing laps add gives an error with its output", async () => {
    repo = tempRepo();
    const r = await addFollowupLap(ctx({ LAPS_FAKE_FAIL: "add:2" }), "x");
    expect(r).toEqual({ ok: false, error: "exit status 2: laps: add: failure injected by LAPS_FAKE_FAIL" });
  });
});

describe("direct reads of .laps/laps.json", () => {
  test("isLapDone and collectAssignees", () => {
    repo = tempRepo();
    const a = repo.add("tail", "A", ["--assignee", " SENIOR "]);
    const b = repo.add("tail", "B", ["--assignee", "junior"]);
    repo.add("tail", "C", ["--assignee", "senior"]);
    repo.laps(["done", a]);
    expect(isLapDone(repo.root, a)).toBe(true);
    expect(isLapDone(repo.root, b)).toBe(false);
    expect(isLapDone(repo.root, "nope")).toBeUndefined();
    expect(collectAssignees(repo.root).sort()).toEqual(["junior", "senior"]);
  });

  test("v3-shaped files still answer (completedAt without isDone, extra keys)", () => {
    repo = tempRepo();
    const file = { version: 3, prefix: "rall", tasks: [{ id: "x-1", kind: "lap", completedAt: "2026-07-01T00:00:00Z", assignee: "VERIFY" }] };
    writeFileSync(join(repo.root, ".laps", "laps.json"), JSON.stringify(file));
    expect(isLapDone(repo.root, "x-1")).toBe(true);
    expect(collectAssignees(repo.root)).toEqual(["verify"]);
  });
});
