// Wall-clock budgets and the stall threshold (spec 04 §0, §8.1). Pure: values in, effective
// values plus warnings out, as data. The caller decides where a warning is shown.

export const MIN_TIMEOUT_BUDGET_SECS = 300;
export const DEFAULT_RUN_TIMEOUT_SECS = 4500;
export const DEFAULT_TRY_TIMEOUT_SECS = 3600;
export const DEFAULT_HANDOFF_TIMEOUT_SECS = 300;
export const DEFAULT_STALL_THRESHOLD_SECS = 900;
/** What the runner uses when it is handed no threshold at all (no config loaded). */
export const RUNNER_STALL_FALLBACK_SECS = 180;
/** The monitor shows "slowing" once the log has been quiet for this share of the threshold. */
export const SLOWING_SHARE = 0.6;

export interface BudgetWarning {
  /** The `[reliability]` key the warning is about. */
  readonly key: string;
  readonly kind: "rounded_up" | "clamped" | "ignored" | "deprecated_alias" | "alias_conflict";
  readonly message: string;
}

export interface TimeoutBudgetsInput {
  readonly run_timeout_secs?: number;
  readonly try_timeout_secs?: number;
  readonly handoff_timeout_secs?: number;
}

export interface TimeoutBudgets {
  readonly runSecs: number;
  readonly trySecs: number;
  readonly handoffSecs: number;
}

function atLeastMinimum(key: string, raw: number | undefined, fallback: number, warnings: BudgetWarning[]): number {
  if (raw !== undefined && raw < 0) {
    warnings.push({ key, kind: "ignored", message: `[reliability].${key}=${raw} is negative; using the default ${fallback}` });
  }
  const value = raw !== undefined && raw > 0 ? raw : fallback;
  if (value >= MIN_TIMEOUT_BUDGET_SECS) return value;
  warnings.push({
    key,
    kind: "rounded_up",
    message: `[reliability].${key}=${raw} was rounded up to ${MIN_TIMEOUT_BUDGET_SECS} because timeout budgets below 5 minutes are not accepted`,
  });
  return MIN_TIMEOUT_BUDGET_SECS;
}

/**
 * run and try: 0/unset → default, else at least 300. handoff: 0 → 300, at least 300, and kept
 * below min(run, try) so a handoff can still finish inside both (but never below 300).
 */
export function resolveTimeoutBudgets(raw: TimeoutBudgetsInput): { budgets: TimeoutBudgets; warnings: BudgetWarning[] } {
  const warnings: BudgetWarning[] = [];
  const runSecs = atLeastMinimum("run_timeout_secs", raw.run_timeout_secs, DEFAULT_RUN_TIMEOUT_SECS, warnings);
  const trySecs = atLeastMinimum("try_timeout_secs", raw.try_timeout_secs, DEFAULT_TRY_TIMEOUT_SECS, warnings);
  const rawHandoff = raw.handoff_timeout_secs;
  let handoffSecs = atLeastMinimum("handoff_timeout_secs", rawHandoff, DEFAULT_HANDOFF_TIMEOUT_SECS, warnings);
  const bound = Math.min(runSecs, trySecs);
  if (handoffSecs >= bound) handoffSecs = bound > MIN_TIMEOUT_BUDGET_SECS ? bound - 1 : bound;
  if (rawHandoff !== undefined && rawHandoff >= MIN_TIMEOUT_BUDGET_SECS && rawHandoff !== handoffSecs) {
    warnings.push({
      key: "handoff_timeout_secs",
      kind: "clamped",
      message: `[reliability].handoff_timeout_secs=${rawHandoff} was clamped to ${handoffSecs} to fit within the effective try/run timeout bounds while preserving the 5-minute minimum`,
    });
  }
  return { budgets: { runSecs, trySecs, handoffSecs }, warnings };
}

/**
 * The per-try cap the runner arms, or undefined when it is disabled: a try cap at or above the
 * run budget would race the run deadline, so only the run budget applies (spec 04 §8.1).
 */
export function effectiveTryCapSecs(budgets: Pick<TimeoutBudgets, "runSecs" | "trySecs">): number | undefined {
  if (budgets.trySecs <= 0) return undefined;
  if (budgets.runSecs > 0 && budgets.trySecs >= budgets.runSecs) return undefined;
  return budgets.trySecs;
}

export interface StallThresholdInput {
  readonly stall_threshold_secs?: number;
  /** Older spelling used by the smoke-test docs; accepted with a warning. */
  readonly freeze_threshold_secs?: number;
}

/** `stall_threshold_secs` (alias `freeze_threshold_secs`): 0/unset → 900; the canonical key wins. */
export function resolveStallThreshold(raw: StallThresholdInput): { secs: number; warnings: BudgetWarning[] } {
  const warnings: BudgetWarning[] = [];
  const canonical = raw.stall_threshold_secs;
  const alias = raw.freeze_threshold_secs;
  if (alias !== undefined && canonical === undefined) {
    warnings.push({
      key: "freeze_threshold_secs",
      kind: "deprecated_alias",
      message: "[reliability].freeze_threshold_secs is an older name; use stall_threshold_secs",
    });
  }
  if (alias !== undefined && canonical !== undefined && alias !== canonical) {
    warnings.push({
      key: "freeze_threshold_secs",
      kind: "alias_conflict",
      message: `[reliability] sets both stall_threshold_secs=${canonical} and freeze_threshold_secs=${alias}; using stall_threshold_secs`,
    });
  }
  const value = canonical ?? alias;
  return { secs: value !== undefined && value > 0 ? value : DEFAULT_STALL_THRESHOLD_SECS, warnings };
}

/** Log silence (s) at which the monitor shows "⚠ slowing": 540 s at the default, 36 s at 60 s. */
export function slowingThresholdSecs(stallThresholdSecs: number): number {
  return SLOWING_SHARE * stallThresholdSecs;
}
