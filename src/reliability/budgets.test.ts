import { describe, expect, test } from "bun:test";
import { effectiveTryCapSecs, resolveStallThreshold, resolveTimeoutBudgets, slowingThresholdSecs } from "./budgets.ts";

// Spec 04 §14.6 C1 and §8.1, plus the stall threshold alias.

describe("resolveTimeoutBudgets (C1)", () => {
  test.each([
    [[0, 0, 0], [4500, 3600, 300], []],
    [[100, 0, 0], [300, 3600, 300], ["run_timeout_secs:rounded_up"]],
    [[600, 400, 1000], [600, 400, 399], ["handoff_timeout_secs:clamped"]],
    [[300, 300, 300], [300, 300, 300], []],
    [[4500, 5000, 0], [4500, 5000, 300], []],
    [[0, 0, 120], [4500, 3600, 300], ["handoff_timeout_secs:rounded_up"]],
    [[-5, 0, 0], [4500, 3600, 300], ["run_timeout_secs:ignored"]],
  ] as Array<[number[], number[], string[]]>)("%p → %p", ([run, tryCap, handoff], expected, warnings) => {
    const { budgets, warnings: got } = resolveTimeoutBudgets({ run_timeout_secs: run, try_timeout_secs: tryCap, handoff_timeout_secs: handoff });
    expect([budgets.runSecs, budgets.trySecs, budgets.handoffSecs]).toEqual(expected);
    expect(got.map((w) => `${w.key}:${w.kind}`)).toEqual(warnings);
  });

  test("warnings carry the user-facing text", () => {
    const { warnings } = resolveTimeoutBudgets({ run_timeout_secs: 100 });
    expect(warnings[0]?.message).toBe(
      "[reliability].run_timeout_secs=100 was rounded up to 300 because timeout budgets below 5 minutes are not accepted",
    );
  });

  test("unset keys take the defaults", () => {
    expect(resolveTimeoutBudgets({}).budgets).toEqual({ runSecs: 4500, trySecs: 3600, handoffSecs: 300 });
  });
});

describe("effectiveTryCapSecs", () => {
  test.each([
    [4500, 5000, undefined],
    [4500, 4500, undefined],
    [4500, 3600, 3600],
    [0, 3600, 3600],
  ])("run %i, try %i → %p", (runSecs, trySecs, cap) => expect(effectiveTryCapSecs({ runSecs, trySecs })).toBe(cap));
});

describe("resolveStallThreshold", () => {
  test.each([
    [{}, 900, []],
    [{ stall_threshold_secs: 0 }, 900, []],
    [{ stall_threshold_secs: 60 }, 60, []],
    [{ freeze_threshold_secs: 120 }, 120, ["deprecated_alias"]],
    [{ stall_threshold_secs: 60, freeze_threshold_secs: 120 }, 60, ["alias_conflict"]],
    [{ stall_threshold_secs: 60, freeze_threshold_secs: 60 }, 60, []],
  ])("%p → %i", (raw, secs, kinds) => {
    const got = resolveStallThreshold(raw);
    expect([got.secs, got.warnings.map((w): string => w.kind)]).toEqual([secs, kinds as string[]]);
  });

  test("slowing shows at 0.6 × threshold (F12)", () => {
    expect([slowingThresholdSecs(60), slowingThresholdSecs(900)]).toEqual([36, 540]);
  });
});
