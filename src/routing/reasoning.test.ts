import { describe, expect, test } from "bun:test";
import { applyReasoning, checkReasoningValues, effortArgs } from "./reasoning.ts";
import { testConfig } from "./test-support.ts";

const config = testConfig({
  harness: { cx: { models: { "g55-xh": "gpt-5.5-extra-high" } }, cc: { models: { "opus-high": "claude-opus-high" } } },
  reasoning: { verify: "high", Xh: "g55-xh", scoped: "op:g55-xh", codexy: "cx:g55-xh", bad: "cx:nope", turbo: "turbo" },
});

describe("applyReasoning (spec 02 §9, cases 48–50)", () => {
  const rows: [string, string, object][] = [
    ["codex", "verify", { effort: "high" }],
    ["codex", "VERIFY", { effort: "high" }],
    ["codex", "xh", { model: "gpt-5.5-extra-high" }],
    ["claude", "xh", { effort: "g55-xh" }],
    ["codex", "scoped", {}],
    ["codex", "codexy", { model: "gpt-5.5-extra-high" }],
    ["claude", "codexy", {}],
    ["codex", "nobody", {}],
    ["codex", "", {}],
  ];
  test.each(rows)("%p for role %p", (harness, role, effect) => {
    expect(applyReasoning(harness, role, config)).toEqual(effect);
  });
  test("a scoped alias that does not resolve is an error", () => {
    expect(() => applyReasoning("codex", "bad", config)).toThrow(
      'config: [reasoning].bad references unknown model alias "nope" for harness "codex"',
    );
  });
});

describe("effortArgs (case 51)", () => {
  const rows: [string, string, string[], string | undefined][] = [
    ["codex", "high", ["-c", "model_reasoning_effort=high"], undefined],
    ["claude", "max", ["--effort", "max"], undefined],
    ["opencode", "anything", ["--variant", "anything"], undefined],
    ["claude", "ultra", ["--effort", "ultra"], 'rally: unknown claude reasoning effort "ultra"; passing it through (documented values: high, low, max, medium, xhigh)'],
    ["codex", "max", ["-c", "model_reasoning_effort=max"], 'rally: unknown codex reasoning effort "max"; passing it through (documented values: high, low, medium, minimal, none, xhigh)'],
    ["gemini", "high", [], 'rally: gemini has no reasoning-effort flag; ignoring reasoning effort "high" (choose a different model to change reasoning)'],
    ["antigravity", "high", [], 'rally: antigravity has no reasoning-effort flag; ignoring reasoning effort "high" (reasoning is selected via the model alias/name)'],
    ["mycode", "high", [], 'rally: harness "mycode" does not support reasoning-effort injection; ignoring reasoning effort "high"'],
    ["codex", "", [], undefined],
  ];
  test.each(rows)("%p %p", (harness, effort, args, warning) => {
    expect(effortArgs(harness, effort)).toEqual({ args, warning });
  });
});

describe("checkReasoningValues (routes check, case 50; spec 01 §9 #21)", () => {
  test("scoped misses are errors; unknown bare values warn", () => {
    const r = checkReasoningValues(config);
    expect(r.errors).toEqual([
      'config: [reasoning].bad references unknown model alias "nope" for harness "codex"; did you mean g55-xh?',
      'config: [reasoning].scoped references unknown model alias "g55-xh" for harness "opencode"',
    ]);
    expect(r.warnings).toEqual([
      'warning: [reasoning].turbo value "turbo" is not a known model alias or documented reasoning effort; it will be passed through to the selected harness as-is',
    ]);
  });
  test("did-you-mean for a misspelt scoped alias", () => {
    const r = checkReasoningValues(testConfig({ harness: config.harness, reasoning: { verify: "cc:opus-hihg" } }));
    expect(r.errors[0]).toContain("did you mean opus-high?");
    expect(checkReasoningValues(testConfig({ reasoning: { verify: "cc:" } })).errors).toEqual([
      'config: [reasoning].verify references an empty model alias for harness "claude"',
    ]);
  });
});
