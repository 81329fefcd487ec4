import { describe, expect, test } from "bun:test";
import { H, simulate, T0, testConfig, type Outcome } from "./test-support.ts";

// Scheduler sequences from spec 02 §11: config + outcomes → runners picked. The last pick in
// each list is the selection that would come next.

const ok = (n: number): Outcome[] => Array<Outcome>(n).fill("ok");
const routes = (def: string[], more: Record<string, string[]> = {}) => testConfig({ routes: { default: def, ...more } });

describe("roster asymmetry (cases 11–13, 22, 23)", () => {
  test("11: --agent \"cc ge op\" runs one of each, in order, then wraps", () => {
    expect(simulate(testConfig(), ok(3), { flags: { agent: ["cc ge op"] } }).picks).toEqual(["claude", "gemini", "opencode", "claude"]);
  });
  test("12: [routes] bare entries stay until they fail; all failed in one pass → UNAVAIL", () => {
    const seq: Outcome[] = ["ok", "ok", "fail", "ok", "ok", "fail", "ok", "fail"];
    expect(simulate(routes(["cc", "ge", "op"]), seq).picks).toEqual([
      "claude", "claude", "claude", "gemini", "gemini", "gemini", "opencode", "opencode", "UNAVAIL",
    ]);
  });
  test("13: [routes] with :1 quotas rotates", () => {
    expect(simulate(routes(["cc:1", "ge:1", "op:1"]), ok(3)).picks).toEqual(["claude", "gemini", "opencode", "claude"]);
  });
  test("14/2i: --agent cc:2 → claude every time", () => {
    expect(simulate(testConfig(), ok(2), { flags: { agent: ["cc:2"] } }).picks).toEqual(["claude", "claude", "claude"]);
  });
  test("22: the wrap clears a plain failure", () => {
    expect(simulate(testConfig(), ["fail", "ok"], { flags: { agent: ["cc cx"] } }).picks).toEqual(["claude", "codex", "claude"]);
  });
  test("23: a single entry that fails → UNAVAIL", () => {
    expect(simulate(testConfig(), ["ok", "fail"], { flags: { agent: ["cc"] } }).picks).toEqual(["claude", "claude", "UNAVAIL"]);
  });
  test("15/16: legacy mixes", () => {
    expect(simulate(testConfig({ defaults: { mix: "cc cx cc" } }), ok(5)).picks).toEqual([
      "claude", "claude", "codex", "claude", "claude", "codex",
    ]);
    expect(simulate(testConfig(), ok(3)).picks).toEqual(["claude", "codex", "codex", "claude"]);
  });
});

describe("scheduler sequences (cases 20, 21, 24, 25, 28)", () => {
  const kimi = "opencode:opencode-go/kimi-k2.6";
  test("20: quotas then wrap after the unquoted tail fails", () => {
    const sim = simulate(routes(["claude:opus-4.7:1", "codex:gpt-5.5:3", `opencode:opencode-go/kimi-k2.6`]), [...ok(6), "fail"]);
    expect(sim.picks).toEqual([
      "claude:opus-4.7", "codex:gpt-5.5", "codex:gpt-5.5", "codex:gpt-5.5", kimi, kimi, kimi, "claude:opus-4.7",
    ]);
  });
  test("21: a failure short-circuits the quota", () => {
    expect(simulate(routes(["claude:opus-4.7:5", "codex:gpt-5.5"]), ["fail"]).picks).toEqual(["claude:opus-4.7", "codex:gpt-5.5"]);
  });
  test("24: a range extends while the others are paused, then waits (never frozen)", () => {
    const config = routes(["claude:opus-4.7:3", "codex:gpt-5.5:3", "opencode:opencode-go/kimi-k2.6:1-5"]);
    // ok×6, kimi infra... the spec pauses opus after run 7; emulate with infra outcomes on the right runs.
    const sim = simulate(config, [...ok(6), "ok", "+1"]);
    expect(sim.picks.slice(0, 7)).toEqual([
      "claude:opus-4.7", "claude:opus-4.7", "claude:opus-4.7", "codex:gpt-5.5", "codex:gpt-5.5", "codex:gpt-5.5", kimi,
    ]);
    const r = sim.router;
    const now = sim.now();
    r.pause({ harness: "claude", model: "opus-4.7" }, now);
    const picks: string[] = [];
    for (let i = 0; i < 10; i++) {
      const sel = r.select({ now, lapsMode: false });
      if (sel.kind !== "run") {
        picks.push(sel.kind === "wait" ? sel.reason : sel.reason);
        break;
      }
      picks.push(sel.runner.model);
      r.onSuccess(sel);
      if (picks.length === 4) r.pause({ harness: "codex", model: "gpt-5.5" }, now);
    }
    expect(picks).toEqual([
      "gpt-5.5", "gpt-5.5", "gpt-5.5", "opencode-go/kimi-k2.6",
      "opencode-go/kimi-k2.6", "opencode-go/kimi-k2.6", "opencode-go/kimi-k2.6", "opencode-go/kimi-k2.6",
      "all agents paused, waiting 1h0m0s",
    ]);
  });
  test("25: a paused entry gets its hourly retry; a plainly failed one does not", () => {
    const k = "opencode:zai/glm-5.1";
    const config = routes(["claude:1", "opencode:zai/glm-5.1:2-3"]);
    expect(simulate(config, ["infra", "ok", "ok", "ok", "ok", "ok"]).picks).toEqual([
      "claude", k, k, k, "WAIT(1h0m0s)", "claude(hourly-retry)", k, k,
    ]);
    expect(simulate(config, ["fail", "ok", "ok", "ok"]).picks).toEqual(["claude", k, k, k, "UNAVAIL"]);
  });
  test("28: a skip moves on without pause or bench", () => {
    const sim = simulate(routes(["op:zai/glm-5.1:1", "cx:gpt-5.5:1"]), ["skip"]);
    expect(sim.picks).toEqual(["opencode:zai/glm-5.1", "codex:gpt-5.5"]);
    expect(sim.persisted).toEqual([]);
  });
});

describe("resilience-driven selection (cases 29–33)", () => {
  const pair = routes(["claude:opus-4.7:1", "codex:gpt-5.5:1"]);
  const opus = { harness: "claude", model: "opus-4.7" };
  const gpt = { harness: "codex", model: "gpt-5.5" };
  test("29: both paused → wait 1h, then hourly retries in lane order", () => {
    expect(simulate(pair, ["ok", "infra", "infra", "ok", "ok", "ok"]).picks).toEqual([
      "claude:opus-4.7", "codex:gpt-5.5", "claude:opus-4.7", "WAIT(1h0m0s)",
      "claude:opus-4.7(hourly-retry)", "codex:gpt-5.5(hourly-retry)", "claude:opus-4.7", "codex:gpt-5.5",
    ]);
  });
  test("30: force-unpause during the wait resumes on the lane's current entry", () => {
    const sim = simulate(pair, ["ok", "infra", "infra"], { stopAtWait: true });
    expect(sim.picks.at(-1)).toBe("WAIT(1h0m0s)");
    const r = sim.router;
    const now = sim.now() + 60_000;
    expect(r.forceUnpause(now).map((e) => `${e.key.harness}:${e.event}`).sort()).toEqual(["claude:active", "codex:active"]);
    const first = r.select({ now, lapsMode: false });
    expect(first.kind === "run" && [first.runner.harness, first.attempt]).toEqual(["claude", "normal"]);
    if (first.kind === "run") r.onSuccess(first);
    const second = r.select({ now, lapsMode: false });
    expect(second.kind === "run" && second.runner.harness).toBe("codex");
  });
  test("31: all keys frozen → FROZEN; one frozen and the other failing → UNAVAIL", () => {
    const frozen = [opus, gpt].map((key) => ({ key, event: "frozen" as const, at: T0 - H }));
    expect(simulate(pair, [], { statusEvents: frozen }).picks).toEqual(["FROZEN"]);
    expect(simulate(pair, ["fail"], { statusEvents: frozen.slice(0, 1) }).picks).toEqual(["codex:gpt-5.5", "UNAVAIL"]);
  });
  test("32: a freeze older than 5h decays to one probation run, logged once", () => {
    const sim = simulate(routes(["claude:opus-4.7:1"]), [], { statusEvents: [{ key: opus, event: "frozen", at: T0 - 6 * H }] });
    expect(sim.picks).toEqual(["claude:opus-4.7(probation)"]);
    expect(sim.persisted).toEqual([{ key: opus, event: "probation", at: T0 }]);
    const again = sim.router.select({ now: T0, lapsMode: false });
    expect(again.kind).toBe("end");
  });
  test("a sidelined key (auth) is paused but never waited for", () => {
    expect(simulate(routes(["claude:opus-4.7:1"]), ["auth"]).picks).toEqual(["claude:opus-4.7", "UNAVAIL"]);
    expect(simulate(pair, ["auth", "ok", "ok"]).picks).toEqual(["claude:opus-4.7", "codex:gpt-5.5", "codex:gpt-5.5", "codex:gpt-5.5"]);
    // Only the sidelined key drops out of the wait: a paused partner is still waited for.
    expect(simulate(pair, ["auth", "infra"], { stopAtWait: true }).picks).toEqual(["claude:opus-4.7", "codex:gpt-5.5", "WAIT(1h0m0s)"]);
  });
  test("33: pause state is per key", () => {
    const config = routes(["claude:opus:1", "claude:sonnet:1"]);
    const paused = [{ key: { harness: "claude", model: "opus" }, event: "paused" as const, at: T0 }];
    expect(simulate(config, ok(1), { statusEvents: paused }).picks).toEqual(["claude:sonnet", "claude:sonnet"]);
  });
});

describe("quota scopes and benching (cases 35–38)", () => {
  test("35: a usage limit benches the opencode provider in every lane only", () => {
    const config = routes(
      ["opencode:zai-coding-plan/glm-5.1:1", "opencode:opencode-go/kimi-k2.6:1", "claude:opus-4.7:1"],
      { verify: ["opencode:zai-coding-plan/glm-5.2", "codex:gpt-5.5"] },
    );
    const sim = simulate(config, ["usage:10800000", "ok", "ok", "ok", "ok", "ok", "+10800000", "ok"], {
      lapsMode: true,
      assignees: [undefined, undefined, undefined, undefined, "verify"],
    });
    expect(sim.persisted.map((e) => `${e.key.model}@${e.quota_scope}`)).toEqual([
      "zai-coding-plan/glm-5.1@opencode:zai-coding-plan",
      "zai-coding-plan/glm-5.2@opencode:zai-coding-plan",
    ]);
    expect(sim.picks).toEqual([
      "opencode:zai-coding-plan/glm-5.1", "opencode:opencode-go/kimi-k2.6", "claude:opus-4.7", "opencode:opencode-go/kimi-k2.6",
      "codex:gpt-5.5", "claude:opus-4.7", "opencode:zai-coding-plan/glm-5.1", "opencode:opencode-go/kimi-k2.6",
    ]);
  });
  test("36: claude usage benches every claude model; it returns after the reset", () => {
    const config = routes(["claude:opus-4.7:1", "claude:sonnet-4.5:1", "codex:gpt-5.5:1"]);
    expect(simulate(config, ["usage:18000000", "ok", "ok", "+18000000", "ok"]).picks).toEqual([
      "claude:opus-4.7", "codex:gpt-5.5", "codex:gpt-5.5", "claude:opus-4.7", "claude:sonnet-4.5",
    ]);
  });
  test("37: the wait is the earliest bench reset, not frozen", () => {
    const config = routes(["claude:opus-4.7:1", "claude:sonnet-4.5:1"]);
    const events = [
      { key: { harness: "claude", model: "opus-4.7" }, event: "benched" as const, at: T0, until: T0 + 5 * H },
      { key: { harness: "claude", model: "sonnet-4.5" }, event: "benched" as const, at: T0, until: T0 + 2 * H },
    ];
    expect(simulate(config, ["ok"], { statusEvents: events }).picks).toEqual(["WAIT(2h0m0s)", "claude:sonnet-4.5", "claude:sonnet-4.5"]);
  });
});

describe("route selection (cases 40–45)", () => {
  test("40: assignee picks its lane case-insensitively; unknown falls back with a warning", () => {
    const config = routes(["claude:opus-4.7"], { SENIOR: ["codex:gpt-5.5:3"] });
    const sim = simulate(config, []);
    const r = sim.router;
    const senior = r.select({ now: T0, lapsMode: true, assignee: "Senior" });
    expect(senior.kind === "run" && [senior.lane, senior.source, senior.runner.harness]).toEqual(["SENIOR", "assignee", "codex"]);
    const rolex = r.select({ now: T0, lapsMode: true, assignee: "ROLEX" });
    expect(rolex.kind === "run" && rolex.lane).toBe("default");
    expect(rolex.warnings).toEqual(['routing: no route matched assignee "ROLEX"; falling back to default']);
    expect(r.select({ now: T0, lapsMode: true }).warnings).toEqual([]);
  });
  test("41: no default → assignee miss is an error; an empty route aborts", () => {
    const only = simulate(testConfig({ routes: { ROLEA: ["cc"] } }), [], { lapsMode: true, assignees: ["ROLEA"] });
    expect(only.picks).toEqual(["claude"]);
    expect(() => only.router.select({ now: T0, lapsMode: true, assignee: "ROLEB" })).toThrow(
      'routing: no route matched assignee "ROLEB" and no default route is configured',
    );
    expect(() => simulate(routes([]), [])).toThrow("scheduler: no entries in route");
  });
  test("43: override ignores assignees", () => {
    const sim = simulate(routes(["cx"]), ok(2), { flags: { agent: ["cc"] }, lapsMode: true, assignees: ["ROLEA", "ROLEB", ""] });
    expect(sim.picks).toEqual(["claude", "claude", "claude"]);
  });
  test("45: DEFAULT:1 alternates with the default route's entries; DEFAULT:2 strides", () => {
    const config = routes(["claude:opus-4.7", "codex:gpt-5.5"]);
    expect(simulate(config, ok(5), { flags: { agent: ["op:opencode-go/fancy DEFAULT:1"] } }).picks).toEqual([
      "opencode:opencode-go/fancy", "claude:opus-4.7", "opencode:opencode-go/fancy", "codex:gpt-5.5",
      "opencode:opencode-go/fancy", "claude:opus-4.7",
    ]);
    const abc = routes(["cc:a", "cc:b", "cc:c"]);
    expect(simulate(abc, ok(3), { flags: { agent: ["DEFAULT:2"] } }).picks).toEqual(["claude:a", "claude:c", "claude:b", "claude:a"]);
  });
});

describe("reasoning at selection (cases 48, 49)", () => {
  test("48: an effort for a role without an explicit model; named entries are untouched", () => {
    const config = testConfig({ routes: { default: ["cc"], verify: ["cx"] }, reasoning: { verify: "high" } });
    const sel = simulate(config, [], { lapsMode: true, assignees: ["verify"] });
    const r = sel.router.select({ now: T0, lapsMode: true, assignee: "verify" });
    expect(r.kind === "run" && r.runner.effort).toBe("high");
    const named = testConfig({ harness: { cx: { models: { g55: "gpt-5.5" } } }, routes: { verify: ["cx:g55"] }, reasoning: { verify: "high" } });
    const n = simulate(named, [], { lapsMode: true, assignees: ["verify"] }).router.select({ now: T0, lapsMode: true, assignee: "verify" });
    expect(n.kind === "run" && [n.runner.model, n.runner.effort]).toEqual(["gpt-5.5", undefined]);
  });
  test("49: a reasoning model alias replaces the model and the bench key", () => {
    const config = testConfig({
      defaults: { codex_model: "gpt-5.5" },
      harness: { cx: { models: { "g55-xh": "gpt-5.5-extra-high" } } },
      routes: { verify: ["cx:1"], default: ["cc"] },
      reasoning: { verify: "g55-xh" },
    });
    const sim = simulate(config, ["usage:3600000"], { lapsMode: true, assignees: ["verify", "verify"] });
    expect(sim.picks[0]).toBe("codex:gpt-5.5-extra-high");
    expect(sim.persisted.map((e) => e.key.model)).toEqual(["gpt-5.5-extra-high"]);
  });
  test("no laps → no reasoning even with [reasoning].default", () => {
    const config = testConfig({ routes: { default: ["cx"] }, reasoning: { default: "high" } });
    const r = simulate(config, []).router.select({ now: T0, lapsMode: false });
    expect(r.kind === "run" && r.runner.effort).toBeUndefined();
  });
});
