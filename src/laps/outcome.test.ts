import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkLapPin, evaluateLapsOutcome, lapIdsFromLapsCompleted, readRunStateLaps } from "./outcome.ts";
import { RunStateLaps } from "./schema.ts";

let ws: string;
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), "laps-outcome-"));
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const state = (fields: object = {}) => RunStateLaps.parse(fields);

function writeLapsJson(tasks: object[]): void {
  mkdirSync(join(ws, ".laps"), { recursive: true });
  writeFileSync(join(ws, ".laps", "laps.json"), JSON.stringify({ version: 2, tasks }));
}

test("readRunStateLaps: missing file → empty state; fields read; extra keys kept", () => {
  expect(readRunStateLaps(ws)).toMatchObject({ run_id: "", handoff_state: 0, recorded_laps: [] });
  mkdirSync(join(ws, ".rally", "state"), { recursive: true });
  writeFileSync(join(ws, ".rally", "state", "run-state.json"), JSON.stringify({
    run_id: "relay-1-run-2", handoff_state: 1, recorded_laps: ["a"], pinned_lap_id: "a", session_id: "s",
  }, null, 2));
  expect(readRunStateLaps(ws)).toMatchObject({ run_id: "relay-1-run-2", handoff_state: 1, recorded_laps: ["a"], pinned_lap_id: "a", session_id: "s" });
});

test("lapIdsFromLapsCompleted accepts arrays, one id, and \"none\"", () => {
  expect(lapIdsFromLapsCompleted(["a", "b"])).toEqual(["a", "b"]);
  expect(lapIdsFromLapsCompleted("a")).toEqual(["a"]);
  expect(lapIdsFromLapsCompleted("none")).toEqual([]);
  expect(lapIdsFromLapsCompleted(undefined)).toEqual([]);
});

test("checkLapPin", () => {
  expect(checkLapPin("A", [])).toBe("ok");
  expect(checkLapPin("A", ["A", "A"])).toBe("ok");
  expect(checkLapPin("A", ["B"])).toBe("wrong_lap_consumed");
  expect(checkLapPin("A", ["A", "B"])).toBe("multi_lap_consumed");
  expect(checkLapPin("", ["B"])).toBe("ok");
});

describe("evaluateLapsOutcome (spec 05 case 32)", () => {
  test("pinned lap recorded → finalized, ok", () => {
    const o = evaluateLapsOutcome({ ws, pinnedLapId: "A", runState: state({ recorded_laps: ["A"] }), runEntries: [] });
    expect(o).toEqual({ recordedLaps: ["A"], handoff: false, finalized: true, pin: "ok", pinExcused: false });
  });

  test("summary entry ids merge in; nothing recorded is not finalized", () => {
    const o = evaluateLapsOutcome({ ws, pinnedLapId: "A", runState: state(), runEntries: [{ laps_completed: ["A"] }] });
    expect(o.recordedLaps).toEqual(["A"]);
    const none = evaluateLapsOutcome({ ws, pinnedLapId: "A", runState: state(), runEntries: [{ laps_completed: "none" }] });
    expect(none).toMatchObject({ recordedLaps: [], finalized: false, pin: "ok" });
  });

  test("handoff from run-state or a handoff entry finalizes", () => {
    expect(evaluateLapsOutcome({ ws, pinnedLapId: "A", runState: state({ handoff_state: 1 }), runEntries: [] }))
      .toMatchObject({ handoff: true, finalized: true });
    const entry = { laps_completed: "none", handoff: { summary: "s", followups: [], created_lap_ids: [] } };
    expect(evaluateLapsOutcome({ ws, pinnedLapId: "A", runState: state(), runEntries: [entry] }))
      .toMatchObject({ handoff: true, finalized: true });
  });

  test("no pinned lap + executor completed counts as finalized", () => {
    expect(evaluateLapsOutcome({ ws, pinnedLapId: "", runState: state(), runEntries: [], executorCompleted: true }).finalized).toBe(true);
  });

  test("wrong and multi lap; excused when the pinned lap is done in laps.json or summary.jsonl", () => {
    const wrong = evaluateLapsOutcome({ ws, pinnedLapId: "A", runState: state({ recorded_laps: ["B"] }), runEntries: [] });
    expect(wrong).toMatchObject({ pin: "wrong_lap_consumed", pinExcused: false });
    const multi = evaluateLapsOutcome({ ws, pinnedLapId: "A", runState: state({ recorded_laps: ["A", "B"] }), runEntries: [] });
    expect(multi).toMatchObject({ pin: "multi_lap_consumed", pinExcused: false });
    writeLapsJson([{ id: "A", title: "A", description: "", isDone: true, order: 1, createdAt: "", updatedAt: "", completedAt: "2026-06-18T00:00:00Z" }]);
    expect(evaluateLapsOutcome({ ws, pinnedLapId: "A", runState: state({ recorded_laps: ["B"] }), runEntries: [] }).pinExcused).toBe(true);
    const viaSummary = evaluateLapsOutcome({
      ws, pinnedLapId: "Z", runState: state({ recorded_laps: ["B"] }), runEntries: [], summaryLapIds: ["Z"],
    });
    expect(viaSummary.pinExcused).toBe(true);
  });
});
