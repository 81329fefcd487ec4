import { describe, expect, test } from "bun:test";
import { CATEGORY_INFO, type FailureCategory } from "./categories.ts";
import { classifyTry } from "./classify.ts";
import {
  type AttemptLedger,
  CATEGORY_POLICY,
  type ClassifiedTry,
  maxAttemptsFor,
  type NextStep,
  planCooldown,
  recordTry,
  startLedger,
  type TryReport,
} from "./strategy.ts";

const NOW = Date.parse("2026-11-25T10:00:00Z");

function failed(category: FailureCategory, extra: Partial<ClassifiedTry> = {}): TryReport {
  const classification = { category, class: CATEGORY_INFO[category].class, strategy: CATEGORY_POLICY[category].strategy, ...extra };
  return { kind: "failed", classification };
}

function run(maxAttempts: number, reports: TryReport[]): { ledger: AttemptLedger; steps: NextStep[] } {
  let ledger = startLedger(maxAttempts);
  const steps: NextStep[] = [];
  for (const report of reports) {
    const result = recordTry(ledger, report);
    ledger = result.ledger;
    steps.push(result.next);
    if (result.next.action === "end") break;
  }
  return { ledger, steps };
}

const retry = (keepSession: boolean, cooldownMs = 0): NextStep => ({ action: "retry", keepSession, cooldownMs });
const end = (e: string): NextStep => ({ action: "end", end: e } as NextStep);

describe("maxAttemptsFor (retry_budget)", () => {
  test.each([
    [undefined, "normal", 5],
    [0, "normal", 5],
    [-3, "normal", 5],
    [2, "normal", 2],
    [8, "hourly_retry", 3],
    [1, "probation", 3],
  ] as const)("%p %s → %i", (budget, mode, attempts) => expect(maxAttemptsFor(budget, mode)).toBe(attempts));
});

describe("planCooldown against the run budget (spec 04 §3.3, C6)", () => {
  test.each([
    [60_000, 20_000, { sleepMs: 20_000, runBudgetExhausted: true }],
    [60_000, 0, { sleepMs: 0, runBudgetExhausted: true }],
    [60_000, -1, { sleepMs: 0, runBudgetExhausted: true }],
    [30_000, 60_000, { sleepMs: 30_000, runBudgetExhausted: false }],
    [60_000, undefined, { sleepMs: 60_000, runBudgetExhausted: false }],
  ])("cooldown %i, remaining %p", (cooldown, remaining, plan) => expect(planCooldown(cooldown, remaining)).toEqual(plan));
});

describe("recordTry: the retry_budget reducer", () => {
  test("rate limits wait, keep the session and exhaust the budget", () => {
    const { ledger, steps } = run(2, [failed("short_rate_limit"), failed("short_rate_limit", { retryAfterMs: 120_000 })]);
    expect(steps).toEqual([retry(true, 60_000), end("exhausted")]);
    expect([ledger.attempts, ledger.failedAttempts, ledger.infraFailures, ledger.lastClass]).toEqual([2, 2, 2, "infra"]);
  });

  test("a usage limit ends the run after one try and is not charged as a failure", () => {
    const { ledger, steps } = run(5, [failed("usage_limit"), failed("usage_limit")]);
    expect([steps, ledger.attempts, ledger.failedAttempts]).toEqual([[end("benched")], 1, 0]);
  });

  test.each([
    ["auth_or_proxy", "rotate"],
    ["invalid_model", "rotate"],
    ["binary_missing", "rotate"],
  ] as const)("%s rotates away at once", (category, e) => {
    expect(run(5, [failed(category)]).steps).toEqual([end(e)]);
  });

  test("agent errors restart fresh until the budget is spent", () => {
    const { steps } = run(3, [failed("agent_error"), failed("agent_error"), failed("agent_error"), failed("agent_error")]);
    expect(steps).toEqual([retry(false), retry(false), end("exhausted")]);
  });

  test("infra then success ends the run successfully", () => {
    expect(run(3, [failed("transient_infra"), { kind: "succeeded" }]).steps).toEqual([retry(true), end("succeeded")]);
  });

  test("the codex no-op row turns the try into a success", () => {
    const noop = classifyTry({ harness: "codex", stderrTail: ["limit warning", "completion ok"] }, NOW);
    expect(run(5, [{ kind: "failed", classification: noop }]).steps).toEqual([end("succeeded")]);
  });

  test("a try-cap timeout retries with the session; a run-budget kill ends the run as agent class", () => {
    const { ledger, steps } = run(3, [failed("timeout"), failed("short_rate_limit"), { kind: "run_budget_exhausted" }]);
    expect(steps).toEqual([retry(true), retry(true, 60_000), end("run_budget")]);
    expect(ledger.classes).toEqual(["agent", "infra", "agent"]);
  });

  test("overload waits the provider's default, incomplete resumes, cancellation ends", () => {
    expect(run(3, [failed("provider_overloaded"), failed("incomplete_finalization"), { kind: "cancelled" }]).steps).toEqual([
      retry(true, 30_000),
      retry(true),
      end("cancelled"),
    ]);
  });
});
