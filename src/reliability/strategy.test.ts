import { describe, expect, test } from "bun:test";
import { CATEGORY_INFO, type FailureCategory } from "./categories.ts";
import { classifyTry } from "./classify.ts";
import {
  type AttemptLedger,
  CATEGORY_POLICY,
  type ClassifiedTry,
  maxAttemptsFor,
  type NextStep,
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

const retry = (keepSession: boolean): NextStep => ({ action: "retry", keepSession });
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

describe("recordTry: the retry_budget reducer", () => {
  test("a rate limit or overload ends the run at once: the runner cools down while the relay rotates", () => {
    for (const category of ["short_rate_limit", "provider_overloaded"] as const) {
      const { ledger, steps } = run(5, [failed(category, { retryAfterMs: 120_000 }), failed(category)]);
      expect(steps).toEqual([end("cooldown")]);
      expect([ledger.attempts, ledger.failedAttempts, ledger.infraFailures, ledger.lastClass]).toEqual([1, 1, 1, "infra"]);
    }
  });

  test("infra errors resume and exhaust the budget", () => {
    const { ledger, steps } = run(2, [failed("transient_infra"), failed("transient_infra"), failed("transient_infra")]);
    expect(steps).toEqual([retry(true), end("exhausted")]);
    expect([ledger.attempts, ledger.infraFailures, ledger.lastClass]).toEqual([2, 2, "infra"]);
  });

  test("an auth failure gets one fresh confirming retry, then ends the run as infra", () => {
    const { ledger, steps } = run(5, [failed("auth_or_proxy"), failed("auth_or_proxy"), failed("auth_or_proxy")]);
    expect(steps).toEqual([retry(false), end("terminal")]);
    expect(ledger.classes).toEqual(["infra", "infra"]);
  });

  test("the auth cap counts auth tries only", () => {
    const { steps } = run(5, [failed("auth_or_proxy"), failed("agent_error"), failed("auth_or_proxy")]);
    expect(steps).toEqual([retry(false), retry(false), end("terminal")]);
  });

  test("a usage limit ends the run after one try and is not charged as a failure", () => {
    const { ledger, steps } = run(5, [failed("usage_limit"), failed("usage_limit")]);
    expect([steps, ledger.attempts, ledger.failedAttempts]).toEqual([[end("benched")], 1, 0]);
  });

  test.each([
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
    const { ledger, steps } = run(3, [failed("timeout"), failed("transient_infra"), { kind: "run_budget_exhausted" }]);
    expect(steps).toEqual([retry(true), retry(true), end("run_budget")]);
    expect(ledger.classes).toEqual(["agent", "infra", "agent"]);
  });

  test("incomplete resumes, cancellation ends", () => {
    expect(run(3, [failed("incomplete_finalization"), { kind: "cancelled" }]).steps).toEqual([retry(true), end("cancelled")]);
  });
});
