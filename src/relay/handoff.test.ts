import { describe, expect, test } from "bun:test";
import type { AttemptResult } from "./attempt.ts";
import { handoffChance, handoffImpossible, judgeHandoffOnly } from "./handoff.ts";
import type { LapsAttempt } from "./laps-run.ts";

const result = (over: Partial<AttemptResult["exit"]> & { stopReason?: AttemptResult["stopReason"] } = {}): AttemptResult => ({
  exit: { exitCode: 0, signal: null, durationMs: 1, outputBytes: 10, ...over },
  stopReason: over.stopReason,
  result: { completed: true, summary: "", errorEvents: [] },
  stderrTail: "", stdoutTail: "", bytes: 10, notes: [], argv: [],
});
const laps = (over: Partial<LapsAttempt>): LapsAttempt => ({
  recordedLaps: [], lapsAttempted: [], handoffState: 0, finalized: false, incomplete: false, dirtyHandoff: false, pin: "ok", pinExcused: false, ...over,
});

describe("handoff-only continuation (spec 04 §8.3, cases C2–C4)", () => {
  test.each([
    [true, "s-1", { ok: true }],
    [false, "s-1", { ok: false, reason: "run timeout; harness cannot resume for handoff" }],
    [true, undefined, { ok: false, reason: "run timeout; no session captured for handoff" }],
  ])("resumable=%p session=%p", (resumable, session, expected) => {
    expect(handoffChance(resumable, session)).toEqual(expected as ReturnType<typeof handoffChance>);
  });

  test("without a continuation the timed-out try is the handoff_timeout", () => {
    const v = handoffImpossible({ completed: false, outcome: "run_timeout", failReason: "run timeout" }, "run timeout; no session captured for handoff");
    expect(v).toMatchObject({ completed: false, outcome: "handoff_timeout", failReason: "run timeout; no session captured for handoff" });
  });

  test("success only with a durable handoff entry; otherwise the reason says what was missing", () => {
    const entry = { summary: "blocked on X", followups: [], created_lap_ids: [] };
    expect(judgeHandoffOnly(result(), laps({ handoff: entry }))).toEqual({ completed: true, outcome: "handoff_requested" });
    expect(judgeHandoffOnly(result({ stopReason: "try_timeout" }), laps({})).failReason).toBe("handoff timeout");
    expect(judgeHandoffOnly(result({ exitCode: 1 }), laps({})).failReason).toBe("handoff failed");
    expect(judgeHandoffOnly(result(), laps({ handoffState: 1 })).failReason).toBe("handoff without wrapup");
    expect(judgeHandoffOnly(result(), laps({})).failReason).toBe("handoff not completed");
  });
});
