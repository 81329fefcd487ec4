import type { EffectiveReliability, Reliability } from "./schema.ts";

// Load-time defaults and clamping of `[reliability]` (spec 01 §3.5). Timeout budgets under five
// minutes are rounded up, and the handoff budget must fit inside the smaller of run and try.

export const RELIABILITY_DEFAULTS = {
  stall_threshold_secs: 900,
  connected_idle_secs: 300,
  retry_budget: 5,
  run_timeout_secs: 4500,
  try_timeout_secs: 3600,
  handoff_timeout_secs: 300,
  recent_try_count: 5,
} as const;

const MIN_BUDGET_SECS = 300;

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && value > 0 ? value : fallback;
}

function roundedBudget(key: string, raw: number | undefined, fallback: number, notes: string[]): number {
  const value = positiveOr(raw, fallback);
  if (value >= MIN_BUDGET_SECS) return value;
  notes.push(
    `config: [reliability].${key}=${raw} was rounded up to ${MIN_BUDGET_SECS} because timeout budgets below 5 minutes are not accepted`,
  );
  return MIN_BUDGET_SECS;
}

export function resolveReliability(raw: Reliability): { reliability: EffectiveReliability; notes: string[] } {
  const notes: string[] = [];
  const d = RELIABILITY_DEFAULTS;
  const run = roundedBudget("run_timeout_secs", raw.run_timeout_secs, d.run_timeout_secs, notes);
  const tryBudget = roundedBudget("try_timeout_secs", raw.try_timeout_secs, d.try_timeout_secs, notes);
  const rawHandoff = raw.handoff_timeout_secs;
  let handoff = roundedBudget("handoff_timeout_secs", rawHandoff, d.handoff_timeout_secs, notes);
  const bound = Math.min(run, tryBudget);
  if (handoff >= bound) handoff = bound > MIN_BUDGET_SECS ? bound - 1 : bound;
  if (rawHandoff !== undefined && rawHandoff >= MIN_BUDGET_SECS && rawHandoff !== handoff) {
    notes.push(
      `config: [reliability].handoff_timeout_secs=${rawHandoff} was clamped to ${handoff} to fit within the effective try/run timeout bounds while preserving the 5-minute minimum`,
    );
  }
  // The seed's name for the stall threshold is accepted as an equal spelling; the canonical key wins.
  const stall = raw.stall_threshold_secs ?? raw.freeze_threshold_secs;
  if (raw.stall_threshold_secs !== undefined && raw.freeze_threshold_secs !== undefined && raw.stall_threshold_secs !== raw.freeze_threshold_secs) {
    notes.push(
      `config: [reliability] sets both stall_threshold_secs=${raw.stall_threshold_secs} and freeze_threshold_secs=${raw.freeze_threshold_secs}; using stall_threshold_secs`,
    );
  }
  return {
    notes,
    reliability: {
      stall_threshold_secs: positiveOr(stall, d.stall_threshold_secs),
      connected_idle_secs: positiveOr(raw.connected_idle_secs, d.connected_idle_secs),
      liveness_probe: raw.liveness_probe,
      retry_budget: positiveOr(raw.retry_budget, d.retry_budget),
      run_timeout_secs: run,
      try_timeout_secs: tryBudget,
      handoff_timeout_secs: handoff,
      recent_try_count: positiveOr(raw.recent_try_count, d.recent_try_count),
      recent_try_char_limit: Math.max(0, raw.recent_try_char_limit),
      recent_context_char_limit: Math.max(0, raw.recent_context_char_limit),
    },
  };
}
