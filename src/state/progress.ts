import { RallyError } from "../errors.ts";
import { isoSeconds, type RunState, type SummaryEntry } from "./schema.ts";
import type { Store } from "./store.ts";

// `rally progress`: how an agent (or a laps hook) reports a run's progress. It mutates the
// run-state, appends the run's summary entry, and deletes the run-state — which is how the
// relay learns the run was finalized.

export interface ProgressInput {
  recordLaps: string[];
  setHandoff: boolean;
  complete: boolean;
  handoff: boolean;
  wrapup: boolean;
  summary?: string;
  classification?: string;
  followups: string[];
}

export interface ProgressDeps {
  store: Store;
  now: number;
  /** Whether laps is active in this workspace (then `laps_completed` is recorded). */
  lapsEnabled: boolean;
  /** `laps add head …` for a handoff follow-up; resolves to the new lap id. */
  addFollowupLap(followup: string): Promise<{ ok: true; id: string } | { ok: false; error: string }>;
  warn(line: string): void;
}

type Mode = "complete" | "handoff" | "wrapup";

export async function recordProgress(input: ProgressInput, deps: ProgressDeps): Promise<{ entry?: SummaryEntry }> {
  const { store, now } = deps;
  let state: RunState = store.readRunState() ?? { run_id: "", handoff_state: 0, recorded_laps: [] };
  let mutated = false;
  for (const lap of input.recordLaps) {
    state = { ...state, recorded_laps: [...state.recorded_laps, lap], laps_attempted: [...(state.laps_attempted ?? []), { lap_id: lap, timestamp: isoSeconds(now) }] };
    mutated = true;
  }
  if (input.setHandoff) {
    state = { ...state, handoff_state: 1, laps_attempted: [...(state.laps_attempted ?? []), { lap_id: state.pinned_lap_id ?? "", timestamp: isoSeconds(now) }] };
    mutated = true;
  }
  if (mutated) store.writeRunState(state);
  const mode: Mode | undefined = input.complete ? "complete" : input.handoff ? "handoff" : input.wrapup ? "wrapup" : input.summary?.trim() ? "complete" : undefined;
  if (!mode) {
    if (mutated) return {};
    throw new RallyError("PROGRESS_NO_ACTION", "no action specified", 'pass --summary "<what you did>", or one of --record-lap, --set-handoff, --handoff, --wrapup');
  }
  const summary = input.summary?.trim();
  if (!summary) throw new RallyError("PROGRESS_NO_SUMMARY", `--summary is required for --${mode}`, `add --summary "<one-line summary>"`);

  const entry: SummaryEntry = {
    run_id: state.run_id || utcStamp(now),
    summary,
    updated_at: isoSeconds(now),
    ...(input.classification?.trim() ? { classification: input.classification.trim() } : {}),
    ...(deps.lapsEnabled ? { laps_completed: state.recorded_laps.length ? state.recorded_laps : "none" } : {}),
  };
  if (mode === "handoff" || (mode === "wrapup" && state.handoff_state === 1)) {
    const created: string[] = [];
    for (const f of input.followups) {
      const r = await deps.addFollowupLap(f);
      if (r.ok) created.push(r.id);
      else deps.warn(`failed to create lap for followup "${f}": ${r.error}`);
    }
    entry.handoff = { summary, followups: input.followups, created_lap_ids: created };
  }
  store.appendSummary(entry);
  store.deleteRunState();
  return { entry };
}

function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}
