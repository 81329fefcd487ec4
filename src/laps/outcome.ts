// Reading what a run did in laps terms: recorded laps, handoff, finalization, lap-pin check
// (spec 05 §2.5, §2.6, §4.6 steps 8–11; spec 04 "Lap-pin mismatch").
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isLapDone } from "./client.ts";
import { RunStateLaps, type LapPinVerdict, type LapsRunOutcome } from "./schema.ts";

export function runStatePath(ws: string): string {
  return join(ws, ".rally", "state", "run-state.json");
}

/** The laps fields of run-state.json; a missing or unreadable file reads as `{handoff_state:0, recorded_laps:[]}`. */
export function readRunStateLaps(ws: string): RunStateLaps {
  const path = runStatePath(ws);
  if (existsSync(path)) {
    try {
      const parsed = RunStateLaps.safeParse(JSON.parse(readFileSync(path, "utf8")));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through to the empty state
    }
  }
  return RunStateLaps.parse({});
}

/** summary.jsonl `laps_completed`: a string array, the literal `"none"`, or (old data) one id. */
export function lapIdsFromLapsCompleted(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string" && v !== "");
  if (typeof value === "string" && value !== "" && value !== "none") return [value];
  return [];
}

/** More than one distinct recorded lap → multi; one that is not the pinned lap → wrong. */
export function checkLapPin(pinnedLapId: string, recordedLaps: string[]): LapPinVerdict {
  const distinct = [...new Set(recordedLaps)];
  if (distinct.length > 1) return "multi_lap_consumed";
  if (distinct.length === 1 && pinnedLapId !== "" && distinct[0] !== pinnedLapId) return "wrong_lap_consumed";
  return "ok";
}

/** The parts of a summary.jsonl entry this module reads. */
export interface SummaryEntryLaps {
  laps_completed?: unknown;
  handoff?: unknown;
}

export interface LapsOutcomeInput {
  ws: string;
  /** Lap claimed for this run (`.laps/claim` at run start); "" when unknown. */
  pinnedLapId: string;
  /** run-state.json (state's RunState or readRunStateLaps()); only these two fields are read. */
  runState: Pick<RunStateLaps, "handoff_state" | "recorded_laps">;
  /** summary.jsonl entries appended during this run. */
  runEntries: SummaryEntryLaps[];
  /** Lap ids in any summary.jsonl entry (for "pinned lap already done elsewhere"). */
  summaryLapIds?: string[];
  /** The executor reported completion (counts as finalized only when no lap id is pinned). */
  executorCompleted?: boolean;
}

/** After each attempt: fold run-state and this run's summary entries into one laps verdict. */
export function evaluateLapsOutcome(input: LapsOutcomeInput): LapsRunOutcome {
  const recorded = [...input.runState.recorded_laps];
  for (const entry of input.runEntries) recorded.push(...lapIdsFromLapsCompleted(entry.laps_completed));
  const recordedLaps = [...new Set(recorded)];
  const handoffEntry = input.runEntries.some((e) => e.handoff !== undefined && e.handoff !== null);
  const handoff = handoffEntry || input.runState.handoff_state !== 0;
  const finalized = recordedLaps.length > 0 || handoff || (input.pinnedLapId === "" && input.executorCompleted === true);
  const pin = checkLapPin(input.pinnedLapId, recordedLaps);
  let pinExcused = false;
  if (pin !== "ok") {
    pinExcused = (input.summaryLapIds ?? []).includes(input.pinnedLapId) || isLapDone(input.ws, input.pinnedLapId) === true;
  }
  return { recordedLaps, handoff, finalized, pin, pinExcused };
}
