import { describe, expect, test } from "bun:test";
import { benchDeadline } from "./agent-status.ts";
import { buildProviderIndex, disabledProviderWarnings } from "./providers.ts";
import { buildRoster } from "./roster.ts";
import { quotaScope } from "./quota-scope.ts";
import { H, simulate, T0, testConfig } from "./test-support.ts";

describe("default quota scope (case 34)", () => {
  const rows: [string, string, string][] = [
    ["antigravity", "Gemini 3.5 Flash (High)", "antigravity:flash"],
    ["antigravity", "GEMINI 3.5 PRO", "antigravity:pro"],
    ["antigravity", "Claude 4 Sonnet (High)", "antigravity:claude"],
    ["antigravity", "Some Unknown Model", "antigravity:some unknown model"],
    ["opencode", "zai-coding-plan/glm-5.1", "opencode:zai-coding-plan"],
    ["opencode", "a/b/c", "opencode:a"],
    ["opencode", "plain-model", "opencode:plain-model"],
    ["claude", "org/model", "claude"],
    ["Claude", "x", "Claude"],
    ["custom-harness", "m", "custom-harness"],
  ];
  test.each(rows)("(%p, %p) → %p", (harness, model, scope) => {
    expect(quotaScope({ harness, model })).toBe(scope);
  });
});

describe("bench deadline (case 38)", () => {
  test("absolute reset, else relative, else 5h", () => {
    expect(benchDeadline(T0, { at: T0 + 7, afterMs: 99 })).toBe(T0 + 7);
    expect(benchDeadline(T0, { afterMs: 99 })).toBe(T0 + 99);
    expect(benchDeadline(T0)).toBe(T0 + 5 * H);
  });
});

describe("[providers] (cases 54, 55)", () => {
  const base = {
    defaults: { codex_model: "gpt-5.5" },
    harness: { cx: { models: { g55: "gpt-5.5", spark: "gpt-5.5-spark", mini: "gpt-5.4-mini" } } },
  };
  test("54: members share scope provider:<name>; non-members keep the inferred scope", () => {
    const config = testConfig({ ...base, providers: { codex: ["g55", "opencode:openai/gpt-5.5"] } });
    const { index, errors } = buildProviderIndex(config);
    expect(errors).toEqual([]);
    expect(quotaScope({ harness: "opencode", model: "openai/gpt-5.5" }, index)).toBe("provider:codex");
    expect(quotaScope({ harness: "codex", model: "gpt-5.5" }, index)).toBe("provider:codex");
    expect(quotaScope({ harness: "opencode", model: "zai/glm" }, index)).toBe("opencode:zai");
  });
  test("54: a codex usage limit benches the opencode member too", () => {
    const config = testConfig({ ...base, providers: { codex: ["g55", "opencode:openai/gpt-5.5"] }, routes: { default: ["cx:g55:1", "op:openai/gpt-5.5:1", "op:zai/glm:1"] } });
    const sim = simulate(config, ["usage:3600000", "ok"], { providers: buildProviderIndex(config).index });
    expect(sim.persisted.map((e) => `${e.key.harness}:${e.key.model}`)).toEqual(["codex:gpt-5.5", "opencode:openai/gpt-5.5"]);
    expect(sim.picks).toEqual(["codex:gpt-5.5", "opencode:zai/glm", "opencode:zai/glm"]);
  });
  test("55: wildcards, exclude and one-provider-per-runner", () => {
    const members = (providers: unknown) => {
      const r = buildProviderIndex(testConfig({ ...base, providers: providers as Record<string, string[]> }));
      return { errors: r.errors, members: [...r.index.members.values()].map((ks) => ks.map((k) => k.model)) };
    };
    expect(members({ a: ["codex:*"] }).members).toEqual([["gpt-5.5", "gpt-5.4-mini", "gpt-5.5-spark"]]);
    expect(members({ a: { models: ["codex:*"], exclude: ["codex:*spark"] } }).members).toEqual([["gpt-5.5", "gpt-5.4-mini"]]);
    expect(members({ a: ["g55"], b: ["cx:g55"] }).errors).toEqual([
      'config: runner codex:gpt-5.5 is claimed by providers "a" and "b"; a runner may belong to only one provider',
    ]);
    expect(members({ a: ["opencode-go*"] }).errors[0]).toContain('unsupported wildcard "opencode-go*"');
    expect(members({ a: ["op:nothing/*"] }).errors[0]).toContain('provider wildcard "op:nothing/*" matched no configured models');
    expect(members({ a: ["nope"] }).errors[0]).toContain('unknown model alias "nope"; qualify it as harness:model');
    expect(members({ a: { models: ["g55"], exclude: ["g55"] } }).errors).toEqual([
      'config: provider "a" has no models remaining after exclusions',
    ]);
    expect(members({ a: ["cc"] }).errors[0]).toContain("resolves to no concrete model");
  });
  test("55: a disabled provider's runners are never selected", () => {
    const config = testConfig({ ...base, providers: { p: { models: ["cx:g55"], disabled: true } }, routes: { default: ["cx:g55", "cc"] } });
    const index = buildProviderIndex(config).index;
    expect(simulate(config, ["ok"], { providers: index }).picks).toEqual(["claude", "claude"]);
    const only = testConfig({ ...base, providers: { p: { models: ["cx:g55"], disabled: true } }, routes: { default: ["cx:g55"] } });
    expect(simulate(only, [], { providers: index }).picks).toEqual(["all agents disabled (check [providers] disabled flags)"]);
  });
});

describe("disabled provider warning", () => {
  test("once per disabled provider with routed entries", () => {
    const config = testConfig({
      providers: { off: { models: ["cx:gpt-5.5"], disabled: true }, idle: { models: ["cc:x"], disabled: true } },
      routes: { default: ["cx:gpt-5.5", "codex:gpt-5.5:2"] },
    });
    const roster = buildRoster(config);
    expect(disabledProviderWarnings(roster.lanes, buildProviderIndex(config).index)).toEqual([
      'provider "off" is disabled; its runners are sidelined for this relay',
    ]);
  });
});

describe("provider table keys", () => {
  test("an unknown key is reported when the loader keeps it", () => {
    const config = testConfig({ providers: { p: ["cx:gpt-5.5"] } });
    const loose = { ...config, providers: { p: { models: ["cx:gpt-5.5"], exclude: [], disabled: false, disable: true } } };
    expect(buildProviderIndex(loose).errors).toEqual([
      'config: provider "p" has unknown key "disable" (expected "models", "exclude", or "disabled")',
    ]);
  });
});
