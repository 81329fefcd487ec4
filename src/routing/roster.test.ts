import { describe, expect, test } from "bun:test";
import { formatEntry } from "./entry.ts";
import type { Lane } from "./lanes.ts";
import { runnerLabel } from "./resolve-agent.ts";
import { buildRoster, displayLabel, rosterFromLabel, singleRunnerWarnings } from "./roster.ts";
import { parseAgentFlags, splitRosterValues } from "./roster-text.ts";
import { testConfig } from "./test-support.ts";

const models = {
  cc: { models: { opus: "claude-opus-4-7", sonnet: "claude-sonnet-4-5" } },
  op: { models: { z: "zai-coding-plan/glm-5.1" } },
};

function describeLane(lane: Lane): string[] {
  return lane.entries.map((e) =>
    e.kind === "agent" ? formatEntry({ spec: runnerLabel(e.agent), quota: e.quota }) : `role ${e.route} +${e.stride}`,
  );
}

describe("roster text splitting (spec 02 §2.1, case 9)", () => {
  test("commas and whitespace split; values concatenate in order", () => {
    expect(parseAgentFlags(["cc:opus, cx:1", "op:z"], "--agent")).toEqual(["cc:opus", "cx:1", "op:z"]);
    expect(parseAgentFlags(["cc ge op"], "--agent")).toEqual(["cc", "ge", "op"]);
  });
  test.each([[[""]], [["cc,,cx"]], [["cc,"]], [["  ,cc"]]])("%p → empty value error", (values) => {
    expect(() => parseAgentFlags(values, "--agent")).toThrow("empty value for --agent");
  });
  test("--mix and [defaults].mix name themselves", () => {
    expect(() => parseAgentFlags(["cc,"], "--mix")).toThrow("empty value for --mix");
    expect(() => splitRosterValues([","], "[defaults].mix")).toThrow("empty value for [defaults].mix");
  });
});

describe("override roster (spec 02 §3.2, §2.4)", () => {
  test("bare aliases get an implicit :1; explicit quotas stay (cases 11, 8)", () => {
    const r = buildRoster(testConfig({ harness: models }), { agent: ["cc ge op cc:2-4 cc:opus:2"] });
    expect(r.mode).toBe("override");
    expect(r.label).toBe("__override__:cc ge op cc:2-4 cc:opus:2");
    expect(describeLane(r.lanes.at(-1)!)).toEqual(["claude:1", "gemini:1", "opencode:1", "claude:2-4", "claude:claude-opus-4-7:2"]);
  });

  test("a role reference without quota inlines the route's entries with their own quotas (case 44)", () => {
    const config = testConfig({ routes: { SENIOR: ["codex:gpt-5.5", "claude:opus-4.7:2"] } });
    const r = buildRoster(config, { agent: ["claude:opus-4.7 senior"] });
    expect(describeLane(r.lanes.at(-1)!)).toEqual(["claude:opus-4.7:1", "codex:gpt-5.5", "claude:opus-4.7:2"]);
  });

  test("ROLE:N is one synthetic slot; ROLE:N-M is rejected (case 10)", () => {
    const config = testConfig({ routes: { default: ["cc", "cx"] } });
    expect(describeLane(buildRoster(config, { agent: ["DEFAULT:2"] }).lanes.at(-1)!)).toEqual(["role default +2"]);
    expect(() => buildRoster(config, { agent: ["DEFAULT:1-2"] })).toThrow(
      'routing: override role reference "DEFAULT:1-2" must use a single numeric quota',
    );
  });

  test("entry errors are wrapped with the override prefix (cases 3, 4)", () => {
    expect(() => buildRoster(testConfig(), { agent: ["gm"] })).toThrow('routing: override entry "gm": unknown agent alias "gm"');
    expect(() => buildRoster(testConfig(), { agent: ["cc:0"] })).toThrow(
      'routing: override entry "cc:0": entry "cc:0" has quota 0; must be positive',
    );
    expect(() => buildRoster(testConfig({ routes: { senior: ["gm"] } }), { agent: ["SENIOR"] })).toThrow(
      'routing: override role "senior" entry "gm": unknown agent alias "gm"',
    );
  });

  test("--agent wins over --mix with a warning; --mix alone is an override (case 19)", () => {
    const both = buildRoster(testConfig(), { agent: ["cx"], mix: ["cc"] });
    expect(both.warnings).toContain("both --agent and --mix were supplied; ignoring --mix");
    expect(describeLane(both.lanes.at(-1)!)).toEqual(["codex:1"]);
    expect(buildRoster(testConfig(), { mix: ["cc"] }).label).toBe("__override__:cc");
  });
});

describe("legacy mix (spec 02 §3.3, cases 15–17)", () => {
  const rows: [string, string[], string][] = [
    ["cc cx", ["claude:1", "codex:1"], "claude codex"],
    ["cc cx cc", ["claude:2", "codex:1"], "claude claude codex"],
    ["cc:3 cx", ["claude:3", "codex:1"], "claude claude claude codex"],
    ["cc:0", ["claude:1"], "claude"],
    ["cc:opus cx cc:sonnet", ["claude:claude-opus-4-7:1", "claude:claude-sonnet-4-5:1", "codex:1"], "cc:opus cc:sonnet codex"],
    ["cc:2 op:z cc:sonnet", ["claude:claude-sonnet-4-5:1", "opencode:zai-coding-plan/glm-5.1:1"], "cc:sonnet op:z"],
    ["cc:1-3", ["claude:1-3:1"], "cc:1-3"],
  ];
  test.each(rows)("mix %p", (mix, lane, label) => {
    const r = buildRoster(testConfig({ harness: models, defaults: { mix } }));
    expect(r.mode).toBe("mix");
    expect(describeLane(r.lanes[0]!)).toEqual(lane);
    expect(r.label).toBe(label);
    expect(rosterFromLabel(r.label, testConfig({ harness: models })).lanes[0]).toEqual(r.lanes[0]!);
  });

  test("nothing configured → claude once, codex twice (case 16)", () => {
    const r = buildRoster(testConfig());
    expect(r.mode).toBe("builtin");
    expect(describeLane(r.lanes[0]!)).toEqual(["claude:1", "codex:2"]);
    expect(r.reasoning).toBe(false);
  });

  test("routes beat [defaults].mix (case 18)", () => {
    const r = buildRoster(testConfig({ defaults: { mix: "cc cx" }, routes: { default: ["op"] } }));
    expect(r.mode).toBe("routes");
    expect(r.label).toBe("__routes__");
  });

  test("cc:opus:2 in the mix is the weight-on-named-model error", () => {
    expect(() => buildRoster(testConfig({ harness: models, defaults: { mix: "cc:opus:2" } }))).toThrow(
      'config: [defaults].mix: invalid agent spec "cc:opus:2": weight-on-named-model',
    );
  });
});

describe("labels and single-runner warnings", () => {
  test("display forms (spec 02 §3.6)", () => {
    expect(displayLabel("__routes__")).toBe("configured routes");
    expect(displayLabel("__override__:cc ge")).toBe("cc ge");
    expect(displayLabel("__override__:")).toBe("(override)");
    expect(displayLabel("")).toBe("(empty)");
    expect(displayLabel("claude codex")).toBe("claude codex");
  });

  test("resume: override labels rebuild the same lane; __routes__ needs routes", () => {
    const config = testConfig({ harness: models });
    const fresh = buildRoster(config, { agent: ["cc:opus ge"] });
    expect(rosterFromLabel(fresh.label, config).lanes).toEqual(fresh.lanes);
    expect(() => rosterFromLabel("__routes__", config)).toThrow("resume relay: stored route-based relay requires configured routes");
  });

  test("one warning per single-entry lane (cases 14, 46)", () => {
    const solo = buildRoster(testConfig({ routes: { solo: ["claude:opus-4.7"], default: ["cc", "cx"] } }));
    expect(singleRunnerWarnings(solo)).toEqual([
      'lane "solo" has a single runner (claude:opus-4.7) — if it fails, the lane stalls with no fallback',
    ]);
    const override = buildRoster(testConfig(), { agent: ["op:opencode-go/fancy-model"] });
    expect(singleRunnerWarnings(override)).toEqual([
      'lane "override" has a single runner (opencode:opencode-go/fancy-model) — if it fails, the lane stalls with no fallback',
    ]);
    expect(singleRunnerWarnings(buildRoster(testConfig(), { agent: ["cc:2"] }))[0]).toContain('lane "override"');
  });
});
