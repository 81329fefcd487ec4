import { describe, expect, test } from "bun:test";
import type { Verdict } from "./evaluate.ts";
import { judgeLapsAttempt, lapsSummary, lapsTryFields, mayAutoCommit, type LapsAttempt } from "./laps-run.ts";

const base: LapsAttempt = {
  recordedLaps: [], lapsAttempted: [], handoffState: 0, finalized: false, incomplete: false, dirtyHandoff: false, pin: "ok", pinExcused: false,
};
const ok: Verdict = { completed: true, outcome: "completed" };
const noChanges: Verdict = { completed: false, outcome: "failed", failReason: "no changes made" };
const judge = (v: Verdict, l: Partial<LapsAttempt>, summary = "") => {
  const logs: string[] = [];
  const r = judgeLapsAttempt(v, { ...base, ...l }, { harness: "claude", summary, now: 0, log: (x) => logs.push(x) });
  return { ...r, logs };
};
const handoff = { summary: "blocked", followups: [], created_lap_ids: [] };

describe("laps verdict", () => {
  test("own changes without finalization → incomplete (class incomplete, retryable)", () => {
    const r = judge(ok, { incomplete: true });
    expect(r.verdict).toMatchObject({ completed: false, outcome: "incomplete" });
    expect(r.verdict.classification?.category).toBe("incomplete_finalization");
    expect(r.endRun).toBe(false);
  });

  test("a durable handoff succeeds as handoff_requested, even with no changes", () => {
    expect(judge(ok, { handoff, finalized: true }).verdict).toEqual({ completed: true, outcome: "handoff_requested" });
    expect(judge(noChanges, { handoff, finalized: true }).verdict).toEqual({ completed: true, outcome: "handoff_requested" });
  });

  test("a recorded lap with no file changes is done, not `no changes made`", () => {
    expect(judge(noChanges, { recordedLaps: ["L"], finalized: true }).verdict).toEqual({ completed: true, outcome: "completed" });
    expect(judge(noChanges, {}).verdict).toBe(noChanges);
  });

  test("the marker printed as text fails the try; not once the hook ran", () => {
    expect(judge(ok, {}, "all good\nlaps done").verdict.failReason).toBe("laps done emitted as text, hook never ran");
    expect(judge(ok, { recordedLaps: ["L"], finalized: true }, "laps done").verdict.completed).toBe(true);
  });

  test("lap-pin mismatch ends the run unless the pinned lap is already done", () => {
    const wrong = judge(ok, { recordedLaps: ["X"], pin: "wrong_lap_consumed", finalized: true });
    expect(wrong).toMatchObject({ verdict: { completed: false, failReason: "wrong_lap_consumed" }, endRun: true });
    expect(wrong.logs[0]).toContain("lap pin mismatch warning: wrong_lap_consumed");
    const excused = judge(ok, { recordedLaps: ["X"], pin: "wrong_lap_consumed", pinExcused: true, finalized: true });
    expect(excused).toMatchObject({ verdict: { completed: true }, endRun: false });
  });

  test("operator cancellations and run timeouts pass through untouched", () => {
    const cancelled: Verdict = { completed: false, outcome: "cancelled", cancellation: "skip" };
    expect(judge(cancelled, { incomplete: true }).verdict).toBe(cancelled);
  });

  test("auto-commit only for finalized, clean work; summary prefers this run's entry", () => {
    expect(mayAutoCommit({ ...base, finalized: true })).toBe(true);
    expect(mayAutoCommit({ ...base, finalized: true, dirtyHandoff: true })).toBe(false);
    expect(mayAutoCommit({ ...base, incomplete: true })).toBe(false);
    expect(lapsSummary({ ...base, entry: { run_id: "r", summary: "", updated_at: "" }, handoff }, "x")).toBe("blocked");
    expect(lapsSummary(base, "fallback")).toBe("fallback");
  });

  test("try fields: recovery classification only on recovery runs; lap_assignee is the queue's", () => {
    const l: LapsAttempt = { ...base, entry: { run_id: "r", summary: "s", updated_at: "", classification: " continue " } };
    const lap = { id: "L", title: "t", assignee: "junior", role: "recovery", requirements: "", prompt: "", remaining: 1 };
    expect(lapsTryFields(lap, l)).toMatchObject({ lap_id: "L", lap_assignee: "junior", recovery_classification: "continue" });
    expect(lapsTryFields({ ...lap, role: "junior" }, l).recovery_classification).toBeUndefined();
  });
});
