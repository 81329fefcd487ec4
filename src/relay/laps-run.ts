import { ownChanges } from "../git/tree.ts";
import { evaluateLapsOutcome, findLapsMarkerText, lapIdsFromLapsCompleted } from "../laps/index.ts";
import { classifyTry, labelOfCategory } from "../reliability/index.ts";
import type { SummaryEntry, TryRecordInput } from "../state/schema.ts";
import type { RelayContext } from "./context.ts";
import type { Verdict } from "./evaluate.ts";
import type { LapRun } from "./laps-loop.ts";

// What one attempt amounted to in laps terms (spec 05 §4.6 steps 8–11): which laps the hooks
// recorded, whether the run was finalized or handed off, whether the agent left its own changes
// uncommitted, and how that turns rally's plain verdict into the laps one.

export interface LapsAttempt {
  recordedLaps: string[];
  lapsAttempted: { lap_id: string; timestamp: string }[];
  handoffState: number;
  /** The durable handoff entry `laps wrapup` wrote for this run, if any. */
  handoff?: NonNullable<SummaryEntry["handoff"]>;
  /** The newest summary entry of this run (its text is the try's summary). */
  entry?: SummaryEntry;
  finalized: boolean;
  incomplete: boolean;
  dirtyHandoff: boolean;
  pin: "ok" | "wrong_lap_consumed" | "multi_lap_consumed";
  pinExcused: boolean;
}

export const INCOMPLETE_RETRY_GUIDANCE =
  "Your previous attempt on this lap was incomplete: it left file changes but never ran `laps done` or `laps handoff`. " +
  "Check the changes (git status, git diff), finish the work, verify it, commit it, then run `laps done`.";

/** Read run-state and this run's summary entries after an attempt; decides whether rally may auto-commit. */
export async function evaluateLapsAttempt(
  ctx: RelayContext,
  opts: { lapId: string; summaryStart: number; snapshot: Map<string, string>; after: Map<string, string>; executorCompleted: boolean },
): Promise<LapsAttempt> {
  const state = ctx.store.readRunState();
  const all = ctx.store.readSummaries();
  const entries = all.slice(opts.summaryStart);
  const outcome = evaluateLapsOutcome({
    ws: ctx.workspace,
    pinnedLapId: opts.lapId,
    runState: { handoff_state: state?.handoff_state ?? 0, recorded_laps: state?.recorded_laps ?? [] },
    runEntries: entries,
    summaryLapIds: all.slice(0, opts.summaryStart).flatMap((e) => lapIdsFromLapsCompleted(e.laps_completed)),
    executorCompleted: opts.executorCompleted,
  });
  const handoff = [...entries].reverse().find((e) => e.handoff)?.handoff;
  const own = ctx.isRepo ? ownChanges(opts.snapshot, opts.after) : [];
  return {
    recordedLaps: outcome.recordedLaps,
    lapsAttempted: state?.laps_attempted ?? [],
    handoffState: state?.handoff_state ?? 0,
    handoff,
    entry: entries.at(-1),
    finalized: outcome.finalized,
    incomplete: own.length > 0 && !outcome.finalized,
    dirtyHandoff: handoff !== undefined && own.length > 0,
    pin: outcome.pin,
    pinExcused: outcome.pinExcused,
  };
}

/** Rally's auto-commit only sweeps up finalized, clean-handoff work (spec 05 §5.3). */
export function mayAutoCommit(l: LapsAttempt): boolean {
  return l.finalized && !l.incomplete && !l.dirtyHandoff;
}

/** The try's summary: this run's summary entry (its summary, else the handoff's), else rally's. */
export function lapsSummary(l: LapsAttempt, fallback: string): string {
  return l.entry?.summary || l.handoff?.summary || fallback;
}

/**
 * Turn the plain verdict into the laps one. `endRun` is set for a lap-pin mismatch: the agent
 * consumed the wrong lap, and retrying on the same claim would only repeat the damage.
 */
export function judgeLapsAttempt(
  base: Verdict,
  l: LapsAttempt,
  o: { harness: string; summary: string; now: number; log(line: string): void },
): { verdict: Verdict; endRun: boolean } {
  if (base.cancellation || base.outcome === "interrupted" || base.outcome === "run_timeout") return { verdict: base, endRun: false };
  const decisive = base.classification && ["launch", "error_event", "timeout"].includes(base.classification.source);
  // rally's "no changes made": the agent exited cleanly without touching the tree.
  const noChangesOnly = !base.completed && !base.classification;
  let verdict = base;
  if (!decisive && l.incomplete) {
    const classification = classifyTry({ harness: o.harness, exitCode: 0, hasFileChanges: true, finalized: false }, o.now);
    verdict = { completed: false, outcome: "incomplete", failReason: labelOfCategory("incomplete_finalization"), classification };
  } else if (l.handoff && (base.completed || noChangesOnly)) {
    // A durable handoff is a successful run even when the agent changed nothing.
    verdict = { completed: true, outcome: "handoff_requested" };
  } else if (noChangesOnly && l.recordedLaps.length > 0) {
    // The lap is done (e.g. a check that found nothing to fix): retrying would re-work a finished lap.
    verdict = { completed: true, outcome: "completed" };
  }
  const marker = l.recordedLaps.length === 0 && l.handoffState === 0 && !l.handoff ? findLapsMarkerText(o.summary) : undefined;
  if (marker) {
    o.log(`laps-marker-as-text: "${marker}"`);
    verdict = { completed: false, outcome: "failed", failReason: `${marker} emitted as text, hook never ran` };
  }
  if (l.pin !== "ok") {
    o.log(`lap pin mismatch warning: ${l.pin} (recorded ${JSON.stringify(l.recordedLaps)})${l.pinExcused ? "; pinned lap already done, not a failure" : ""}`);
    if (!l.pinExcused) return { verdict: { completed: false, outcome: "failed", failReason: l.pin }, endRun: true };
  }
  return { verdict, endRun: false };
}

/** The laps fields of a try record. */
export function lapsTryFields(lap: LapRun, l: LapsAttempt | undefined): Partial<TryRecordInput> {
  const isRecovery = lap.role.toLowerCase() === "recovery";
  return {
    lap_id: lap.id || undefined,
    lap_assignee: lap.assignee || undefined,
    recorded_laps: l?.recordedLaps.length ? l.recordedLaps : undefined,
    laps_attempted: l?.lapsAttempted.length ? l.lapsAttempted : undefined,
    dirty_handoff: l?.dirtyHandoff || undefined,
    recovery_classification: isRecovery ? l?.entry?.classification?.trim() || undefined : undefined,
    handoff_created_lap_ids: l?.handoff?.created_lap_ids.length ? l.handoff.created_lap_ids : undefined,
  };
}

/** Extra fields of the per-attempt relay log line in laps mode. */
export function lapsLogFields(lap: LapRun, l: LapsAttempt | undefined): string {
  const list = (ids: string[]) => `[${ids.join(" ")}]`;
  return ` lap_id="${lap.id}" assignee="${lap.assignee}" recorded_laps=${list(l?.recordedLaps ?? [])} laps_attempted=${list((l?.lapsAttempted ?? []).map((a) => a.lap_id))} handoff_state=${l?.handoffState ?? 0}`;
}
