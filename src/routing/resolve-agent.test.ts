import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { isRallyError } from "../errors.ts";
import { parseEntry } from "./entry.ts";
import { resolveAgent } from "./resolve-agent.ts";
import { testConfig } from "./test-support.ts";

// Spec 02 §2.5's reference config.
const config = testConfig({
  defaults: { claude_model: "claude-haiku-4-5" },
  harness: {
    cc: { models: { opus: "claude-opus-4-7" } },
    op: { models: { z: "zai-coding-plan/glm-5.1", gk: "gk-model", mini: "mini-model" } },
    mycode: { command: ["mycode", "$PROMPT"], models: { kimi: "kimi-k2" } },
  },
});

describe("resolveAgent: accepted specs (spec 02 §2.5)", () => {
  const rows: [string, string, string, string, boolean][] = [
    ["cc", "claude", "claude-haiku-4-5", "defaults", false],
    ["claude:3", "claude", "claude-haiku-4-5", "defaults", false],
    ["cc:opus", "claude", "claude-opus-4-7", "named", true],
    ["claude:opus", "claude", "claude-opus-4-7", "named", true],
    ["claude:opus-4.7", "claude", "opus-4.7", "raw", true],
    ["codex:gpt-5.5", "codex", "gpt-5.5", "raw", true],
    ["cx", "codex", "", "harness", false],
    ["op:opencode-go/kimi-k2.6", "opencode", "opencode-go/kimi-k2.6", "raw", true],
    ["op:z", "opencode", "zai-coding-plan/glm-5.1", "named", true],
    // Recommendation of spec 01 §3.10: every alias table of the harness is consulted.
    ["opencode:z", "opencode", "zai-coding-plan/glm-5.1", "named", true],
    ["ag", "antigravity", "", "harness", false],
    ["agy", "antigravity", "", "harness", false],
    ["antigravity", "antigravity", "", "harness", false],
    ["ge", "gemini", "", "harness", false],
    ["gemini", "gemini", "", "harness", false],
    ["mycode:kimi", "mycode", "kimi-k2", "named", true],
    ["mycode", "mycode", "", "harness", false],
    // The 0.10 trap, fixed: identifier-shaped slugs that are not named models are raw models.
    ["cc:claude-haiku-4-5", "claude", "claude-haiku-4-5", "raw", true],
    ["cx:gpt-5", "codex", "gpt-5", "raw", true],
    ["cc:claude-haiku-4.5", "claude", "claude-haiku-4.5", "raw", true],
    ["cc:-1", "claude", "-1", "raw", true],
  ];
  test.each(rows)("%p → %p / %p", (spec, harness, model, modelSource, explicitModel) => {
    const r = resolveAgent(parseEntry(spec).spec, config);
    expect(r).toMatchObject({ harness, model, modelSource, explicitModel });
  });

  test("a raw slug close to a named model warns with a did-you-mean (cases 6, 7)", () => {
    expect(resolveAgent("cc:opux", config).warnings).toEqual([
      'model "opux" is not a named model for harness "claude"; using it as a raw model slug (did you mean opus?)',
    ]);
    expect(resolveAgent("op:gp", config).warnings[0]).toContain("(did you mean gk");
    expect(resolveAgent("cc:claude-haiku-4-5", config).warnings).toEqual([]);
  });
});

describe("resolveAgent: rejections (spec 02 §2.6)", () => {
  const rows: [string, string][] = [
    ["gm", 'unknown agent alias "gm"; did you mean ge, ag, agy?'],
    ["copex", 'unknown agent alias "copex"; did you mean codex, cx, op?'],
    ["CC", 'unknown agent alias "CC"'],
    ["Claude", 'unknown agent alias "Claude"'],
    ["4", 'unknown agent alias "4"'],
    ["cc:opus:2", 'invalid agent spec "cc:opus:2": weight-on-named-model (e.g. cc:opus:2) is not supported'],
  ];
  test.each(rows)("%p", (spec, message) => {
    let caught: unknown;
    try {
      resolveAgent(spec, config);
    } catch (err) {
      caught = err;
    }
    expect(isRallyError(caught)).toBe(true);
    expect((caught as Error).message).toStartWith(message);
  });

  test("custom harness names are did-you-mean candidates", () => {
    expect(() => resolveAgent("mycod", config)).toThrow('unknown agent alias "mycod"; did you mean mycode');
  });
});

describe("default model precedence (case 52, loader folds root keys into [defaults])", () => {
  test("[defaults].claude_model is used for bare cc; none → empty model", () => {
    expect(resolveAgent("cc", testConfig({ defaults: { claude_model: "a" } })).model).toBe("a");
    expect(resolveAgent("cc", testConfig({})).model).toBe("");
  });
  test("custom harnesses have no default model even if a *_model key matches", () => {
    expect(resolveAgent("x", testConfig({ harness: { x: { command: ["x"] } } })).model).toBe("");
  });
});

describe("resolveAgent properties", () => {
  const token = fc.constantFrom("cc", "claude", "cx", "op", "ag", "agy", "ge", "mycode", "gm", "CC", "", "4");
  const model = fc.oneof(fc.constantFrom("opus", "z", "gk", "opux", "a/b", "1", "", "x.y"), fc.string({ maxLength: 8 }));
  const spec = fc.tuple(token, fc.option(model), fc.option(model)).map(([t, a, b]) =>
    [t, a, b].filter((p) => p !== null).join(":"),
  );
  test("throws only RallyErrors", () => {
    fc.assert(
      fc.property(spec, (s) => {
        try {
          resolveAgent(s, config);
        } catch (err) {
          if (!isRallyError(err)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
