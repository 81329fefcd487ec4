import { z } from "../zod.ts";
import { CATEGORY_INFO, type FailureCategory, type FailureClass } from "./categories.ts";
import { PROVIDER_OVERLOADED_DEFAULT_MS, SHORT_RATE_LIMIT_DEFAULT_MS } from "./reset-time.ts";

// What the attempt loop does after each try (spec 04 §1.3, §3). Pure: the engine feeds each
// try's classification into `recordTry` and acts on the returned next step.

export const RetryStrategy = z.enum(["rotate", "resume + retry", "wait + resume", "no-op", "fresh restart"]);
export type RetryStrategy = z.infer<typeof RetryStrategy>;

export interface CategoryPolicy {
  readonly strategy: RetryStrategy;
  /** Ends the attempt loop after one try, without a cooldown sleep (spec 04 §3.4). */
  readonly terminal: boolean;
  /**
   * Whether the try is charged as a failed attempt of the run. A usage-limited try is not:
   * the agent did nothing wrong, the quota scope is benched and the lap is simply handed on.
   */
  readonly countsAsFailure: boolean;
  /** Cooldown before a wait + resume retry when the CLI gave no retry-after. */
  readonly defaultCooldownMs: number;
  /** Tries of this category a run makes before it gives up on the runner (default: the attempt budget). */
  readonly triesPerRun?: number;
  /**
   * Waiting cannot fix it (credentials, a proxy): once a run gives up on it, the runner is out
   * for the rest of the relay instead of being waited for. The pause rule still covers later relays.
   */
  readonly sidelines?: boolean;
}

const RETRY: CategoryPolicy = { strategy: "resume + retry", terminal: false, countsAsFailure: true, defaultCooldownMs: 0 };
const FRESH: CategoryPolicy = { ...RETRY, strategy: "fresh restart" };
const ROTATE: CategoryPolicy = { ...RETRY, strategy: "rotate" };

export const CATEGORY_POLICY: Readonly<Record<FailureCategory, CategoryPolicy>> = {
  usage_limit: { strategy: "wait + resume", terminal: true, countsAsFailure: false, defaultCooldownMs: 120_000 },
  short_rate_limit: { ...RETRY, strategy: "wait + resume", defaultCooldownMs: SHORT_RATE_LIMIT_DEFAULT_MS },
  provider_overloaded: { ...RETRY, strategy: "wait + resume", defaultCooldownMs: PROVIDER_OVERLOADED_DEFAULT_MS },
  transient_infra: RETRY,
  invalid_model: ROTATE,
  // One confirming retry from scratch (a proxy blip or a token refresh can clear); a second
  // auth failure ends the run, pauses the key (two infra failures) and sidelines it.
  auth_or_proxy: { ...FRESH, triesPerRun: 2, sidelines: true },
  harness_launch: FRESH,
  // Retrying cannot make a missing (or non-executable) program runnable; hand the lap to the next agent.
  binary_missing: ROTATE,
  incomplete_finalization: RETRY,
  // The try cap keeps the session so the next attempt resumes where the killed one stopped.
  timeout: RETRY,
  stalled: FRESH,
  agent_error: FRESH,
};

/** The part of a classification the loop needs. */
export interface ClassifiedTry {
  readonly category: FailureCategory;
  readonly class: FailureClass;
  readonly strategy: RetryStrategy;
  readonly retryAfterMs?: number;
}

/**
 * Whether the run tries its runner again after a failed try — the one rule the run loop
 * (relay/run.ts) and the ledger below share. `triesOfCategory` counts this try. A rotate hands
 * the lap on; a wait + resume ends the run too: the runner cools down between runs while the
 * relay rotates to another one (spec 04 waited inside the run).
 */
export function retriesAfter(c: ClassifiedTry | undefined, triesOfCategory: number): boolean {
  if (!c) return true; // e.g. "no changes made": another attempt may do better
  const policy = CATEGORY_POLICY[c.category];
  if (policy.terminal || (policy.triesPerRun !== undefined && triesOfCategory >= policy.triesPerRun)) return false;
  return c.strategy === "resume + retry" || c.strategy === "fresh restart";
}

/** Sleep before the next attempt: only wait + resume on a non-terminal category waits. */
export function cooldownFor(c: ClassifiedTry): number {
  const policy = CATEGORY_POLICY[c.category];
  if (c.strategy !== "wait + resume" || policy.terminal) return 0;
  return c.retryAfterMs ?? policy.defaultCooldownMs;
}

export type RunMode = "normal" | "hourly_retry" | "probation";

export const DEFAULT_RETRY_BUDGET = 5;
/** Hourly retries of a paused key and probation runs of a thawed key get a short leash. */
export const RECOVERY_RUN_ATTEMPTS = 3;

/** `retry_budget` → attempts per run, counting the first (spec 04 §3.1). */
export function maxAttemptsFor(retryBudget: number | undefined, mode: RunMode): number {
  if (mode !== "normal") return RECOVERY_RUN_ATTEMPTS;
  return retryBudget !== undefined && retryBudget > 0 ? Math.floor(retryBudget) : DEFAULT_RETRY_BUDGET;
}

export interface AttemptLedger {
  readonly maxAttempts: number;
  /** Tries run so far in this run. */
  readonly attempts: number;
  /** Tries charged as failures (usage limits are not). */
  readonly failedAttempts: number;
  /** Tries whose class was infra; feeds the pause rule. */
  readonly infraFailures: number;
  /** Class of the last classified try; undefined until a try failed. */
  readonly lastClass?: FailureClass;
  /** Class of every classified try, in order. */
  readonly classes: readonly FailureClass[];
  /** Category of every classified try, in order. */
  readonly categories: readonly FailureCategory[];
}

export type TryReport =
  | { readonly kind: "succeeded" }
  | { readonly kind: "failed"; readonly classification: ClassifiedTry }
  /** Rally's run budget fired or a cooldown consumed it: the handoff path takes over. */
  | { readonly kind: "run_budget_exhausted" }
  /** Operator skip, stop or quit. */
  | { readonly kind: "cancelled" };

/**
 * How a run ended. `benched`: a usage limit — bench the quota scope, and do not count the
 * iteration as failed. `rotate`: set the skip flag, no resilience update. `cooldown`: a short
 * rate limit or overload — the runner cools down while the relay rotates. `terminal`: a category
 * that retrying no further can fix (auth after its confirming retry). `exhausted`: retry_budget spent.
 */
export type RunEnd = "succeeded" | "rotate" | "benched" | "cooldown" | "terminal" | "exhausted" | "run_budget" | "cancelled";

export type NextStep =
  | { readonly action: "retry"; readonly keepSession: boolean }
  | { readonly action: "end"; readonly end: RunEnd };

export function startLedger(maxAttempts: number): AttemptLedger {
  return { maxAttempts, attempts: 0, failedAttempts: 0, infraFailures: 0, classes: [], categories: [] };
}

function chargeFailure(ledger: AttemptLedger, c: ClassifiedTry): AttemptLedger {
  const charged = CATEGORY_POLICY[c.category].countsAsFailure ? 1 : 0;
  return {
    ...ledger,
    attempts: ledger.attempts + 1,
    failedAttempts: ledger.failedAttempts + charged,
    infraFailures: ledger.infraFailures + (c.class === "infra" ? 1 : 0),
    lastClass: c.class,
    classes: [...ledger.classes, c.class],
    categories: [...ledger.categories, c.category],
  };
}

function stepAfterFailure(ledger: AttemptLedger, c: ClassifiedTry): NextStep {
  if (c.strategy === "no-op") return { action: "end", end: "succeeded" };
  const policy = CATEGORY_POLICY[c.category];
  if (!retriesAfter(c, ledger.categories.filter((k) => k === c.category).length)) {
    if (c.strategy === "rotate") return { action: "end", end: "rotate" };
    if (c.strategy === "wait + resume" && !policy.terminal) return { action: "end", end: "cooldown" };
    return { action: "end", end: policy.countsAsFailure ? "terminal" : "benched" };
  }
  if (ledger.attempts >= ledger.maxAttempts) return { action: "end", end: "exhausted" };
  return { action: "retry", keepSession: c.strategy !== "fresh restart" };
}

/** The retry_budget reducer: fold one try into the ledger and say what happens next. */
export function recordTry(ledger: AttemptLedger, report: TryReport): { ledger: AttemptLedger; next: NextStep } {
  switch (report.kind) {
    case "succeeded":
      return { ledger: { ...ledger, attempts: ledger.attempts + 1 }, next: { action: "end", end: "succeeded" } };
    case "cancelled":
      return { ledger: { ...ledger, attempts: ledger.attempts + 1 }, next: { action: "end", end: "cancelled" } };
    case "run_budget_exhausted": {
      // A budget kill is rally's decision, class agent: it ends any infra streak (spec 04 §4.1).
      const next = { ...ledger, attempts: ledger.attempts + 1, lastClass: "agent" as const, classes: [...ledger.classes, "agent" as const] };
      return { ledger: next, next: { action: "end", end: "run_budget" } };
    }
    case "failed": {
      const next = chargeFailure(ledger, report.classification);
      return { ledger: next, next: stepAfterFailure(next, report.classification) };
    }
  }
}
