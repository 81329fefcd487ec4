import { describe, expect, test } from "bun:test";
import { routesCheckReport, type RoleFile } from "./routes-check.ts";
import { testConfig } from "./test-support.ts";

// Embedded role texts sized so the 0.10 token counts come out (floor(bytes / 4)).
const embedded = (name: string, tokens: number): RoleFile => ({ name, source: "embedded", text: `  ${"x".repeat(tokens * 4)}\n` });
const roles = [embedded("junior", 355), embedded("recovery", 426), embedded("senior", 305), embedded("ui", 302), embedded("verify", 450)];
const roleLines = [
  "role prompt diagnostics:",
  "- junior: ~355 tokens (embedded)",
  "- recovery: ~426 tokens (embedded)",
  "- senior: ~305 tokens (embedded)",
  "- ui: ~302 tokens (embedded)",
  "- verify: ~450 tokens (embedded)",
];
const check = (input: Record<string, unknown>, lapsAssignees: string[] = []) =>
  routesCheckReport(testConfig(input), { lapsAssignees, roleFiles: roles });

describe("routes check: seed cases (spec 01 §4.3)", () => {
  test("2c(a): schema warning, no routes", () => {
    const r = check({ schema_version: 99, defaults: { mix: "cc", claude_model: "claude-haiku-*" } });
    expect(r).toEqual({
      ok: true,
      errors: [],
      stdout: [
        "routes check summary:",
        "- no routes declared",
        "",
        ...roleLines,
        "",
        "warning: config: schema_version is 99, expected 2 — proceed with caution",
        "",
      ].join("\n"),
    });
  });

  test("2c(c): no default route warning and an unreferenced-route info", () => {
    const r = check({ schema_version: 2, defaults: { claude_model: "claude-haiku-*" }, routes: { planner: ["cc:2"] } });
    expect(r.stdout).toBe(
      [
        "routes check summary:",
        "- planner: 1 entry",
        "",
        ...roleLines,
        "",
        "warning: no default route is configured; laps without a matching assignee will fail at run-time",
        'info: route "planner" is declared but not referenced by any current lap assignee',
        "",
      ].join("\n"),
    );
    expect(r.ok).toBe(true);
  });

  test("2d: all routes listed, two infos", () => {
    const r = check({ routes: { default: ["cc:2"], planner: ["cc:2"], executor: ["cc:1"] } });
    expect(r.stdout).toContain("- default: 1 entry\n- executor: 1 entry\n- planner: 1 entry\n");
    expect(r.stdout).toContain('info: route "executor" is declared');
    expect(r.stdout).toContain('info: route "planner" is declared');
    expect(r.stdout).not.toContain("warning:");
  });

  test("15: two entries, no warnings", () => {
    const r = check({ routes: { default: ["cc", "cx"] } });
    expect(r.stdout).toStartWith("routes check summary:\n- default: 2 entries\n\nrole prompt diagnostics:");
    expect(r.stdout).not.toContain("warning");
  });

  test("20: an assignee in laps.json silences the info (any case)", () => {
    expect(check({ routes: { default: ["cc"], MARKETING: ["cx"] } }).stdout).toContain('info: route "MARKETING" is declared');
    expect(check({ routes: { default: ["cc"], MARKETING: ["cx"] } }, ["marketing"]).stdout).not.toContain("info:");
  });
});

describe("routes check: errors exit 1 (spec 01 §9 #16–21, spec 02 case 5)", () => {
  const rows: [Record<string, unknown>, string][] = [
    [{ routes: { default: ["claude:opus:4.7"] } }, 'routes check: routing: route "default": entry "claude:opus:4.7" has 3 identifier segments (expected 1 for shortcut or 2 for harness:model)'],
    [{ routes: { default: ["cc:0"] } }, 'routes check: routing: route "default": entry "cc:0" has quota 0; must be positive'],
    [{ routes: { default: ["cc:5-3"] } }, 'routes check: routing: route "default": entry "cc:5-3" has quota range 5-3; min must not exceed max'],
    [{ routes: { default: ["copex"] } }, 'routes check: route "default" entry "copex": unknown agent alias "copex"; did you mean codex, cx, op?'],
    [{ routes: { default: ["gm"] } }, 'routes check: route "default" entry "gm": unknown agent alias "gm"; did you mean ge, ag, agy?'],
    [{ reasoning: { verify: "cx:nope" } }, 'routes check: config: [reasoning].verify references unknown model alias "nope" for harness "codex"'],
  ];
  test.each(rows)("%p", (input, error) => {
    const r = check(input);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([error]);
  });

  test("the summary before the failing route is still printed", () => {
    const r = check({ routes: { a: ["cc"], b: ["gm"] } });
    expect(r.stdout).toBe("routes check summary:\n- a: 1 entry\n");
  });
});

describe("routes check: warnings, providers, advisories", () => {
  test("reasoning warning, loader notes, raw-slug warning, in order", () => {
    const r = routesCheckReport(
      testConfig({ harness: { cc: { models: { opus: "o" } } }, routes: { default: ["cc:opux", "cx"] }, reasoning: { verify: "ludicrous" } }),
      { lapsAssignees: [], roleFiles: [], notes: ["config: root-level claude_model is deprecated; use [defaults].claude_model instead"] },
    );
    expect(r.ok).toBe(true);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("warning:"))).toEqual([
      'warning: route "default" entry "cc:opux": model "opux" is not a named model for harness "claude"; using it as a raw model slug (did you mean opus?)',
      'warning: [reasoning].verify value "ludicrous" is not a known model alias or documented reasoning effort; it will be passed through to the selected harness as-is',
      "warning: config: root-level claude_model is deprecated; use [defaults].claude_model instead",
    ]);
  });

  test("providers section lists members and disabled groups", () => {
    const r = check({
      harness: { cx: { models: { g55: "gpt-5.5" } } },
      providers: { openai: ["cx:g55", "op:openai/gpt-5.5"], spare: { models: ["cc:opus-x"], disabled: true } },
    });
    expect(r.stdout).toContain(
      "providers (shared-quota groups):\n- openai: codex:gpt-5.5, opencode:openai/gpt-5.5\n- spare (disabled): claude:opus-x\n",
    );
  });

  test("custom role files: diagnostics and an advisory for laps terms", () => {
    const custom: RoleFile = { name: "Senior", source: "custom", text: "Run laps done when finished.\n" };
    const r = routesCheckReport(testConfig(), {
      lapsAssignees: [],
      roleFiles: [embedded("junior", 1), custom],
      snippets: { finalize: "FINALIZE\n", headless: "HEADLESS" },
    });
    expect(r.stdout).toBe(
      [
        "routes check summary:",
        "- no routes declared",
        "",
        "role prompt diagnostics:",
        "- junior: ~1 tokens (embedded)",
        "- senior: ~7 tokens (custom, .rally/agents/Senior.md)",
        "",
        'advisory: custom role prompt .rally/agents/Senior.md references "laps done".',
        "This may overlap with the shared guidance which is automatically injected.",
        "For comparison, the embedded general/finalize.md snippet is:",
        "---",
        "FINALIZE",
        "---",
        "",
      ].join("\n"),
    );
  });
});
