import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { parseTOML } from "confbox";
import { join } from "pathe";
import { RallyError } from "../errors.ts";
import { loadConfig, resolveLayers, type ConfigLayer } from "./load.ts";

const repo = (toml: string): ConfigLayer[] => [{ path: "/ws/.rally/config.toml", display: ".rally/config.toml", raw: parseTOML(toml) }];

function errorOf(toml: string): RallyError {
  try {
    resolveLayers(repo(toml));
  } catch (err) {
    if (err instanceof RallyError) return err;
    throw err;
  }
  throw new Error("expected a config error");
}

describe("hard errors name the file, the key and the problem", () => {
  test.each([
    ['[harness.123bad]\ncommand = ["echo"]', '.rally/config.toml: [harness.123bad]: invalid harness name "123bad": must match ^[A-Za-z][A-Za-z0-9_-]*$'],
    ['[harness.cc]\ncommand = ["x"]', '.rally/config.toml: [harness.cc].command: built-in harness "cc" cannot declare command'],
    ['[harness.codex]\nmodel_flag = "-m"', 'built-in harness "codex" cannot declare model_flag'],
    ['[harness.op]\noutput_strategy = "tail"', 'built-in harness "op" cannot declare output_strategy'],
    ['[harness.agy]\ntail_stream = "stdout"', 'built-in harness "agy" cannot declare tail_stream'],
    ['[harness.d]\ncommand = ["d", "--m=$MODEL"]', 'harness "d" command contains $MODEL; use model_flag instead of $MODEL placeholder'],
    ['[harness.d]\ncommand = ["d"]\noutput_strategy = "json"', 'output_strategy "json" is not supported; only "tail" is accepted'],
    ['[harness.d]\ncommand = ["d"]\ntail_stream = "both"', 'tail_stream "both" is invalid; must be one of stdout, stderr, combined'],
    ['[harness.op.models]\n4 = "x"', '[harness.op.models].4: harness "op" model name "4" is invalid: must be a non-numeric identifier'],
    ['[harness.op.models]\nz = ""', 'harness "op" model name "z" has an empty model string'],
    ['[reasoning]\nverify = "high"\nVERIFY = "low"', 'duplicate reasoning keys "verify" and "VERIFY" differ only by case'],
    ['[reasoning]\n" " = "high"', "[reasoning] contains an empty role key"],
    ['[defaults]\niterations = "5"', '.rally/config.toml: [defaults].iterations: expected number, got string "5"'],
    ['[routes]\ndefault = "cc"', "[routes].default: expected array, got string"],
    ['[harness.x]\ncommand = []', "[harness.x].command"],
  ])("%s", (toml, message) => {
    const err = errorOf(toml);
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.message).toContain(message);
  });

  test("built-ins may declare models, env and extra_args", () => {
    const { config } = resolveLayers(repo('[harness.cc]\nextra_args = ["--verbose"]\n[harness.cc.models]\nopus = "claude-opus-4-7"\n[harness.cc.env]\nANTHROPIC_BASE_URL = "http://127.0.0.1:1"'));
    expect(config.harness.cc).toMatchObject({ models: { opus: "claude-opus-4-7" }, env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:1" }, extra_args: ["--verbose"] });
  });
});

describe("warnings and notes", () => {
  test("schema_version mismatch warns but loads", () => {
    const r = resolveLayers(repo("schema_version = 99"));
    expect(r.schemaWarning).toBe("config: schema_version is 99, expected 2 — proceed with caution");
    expect(resolveLayers(repo("schema_version = 2")).schemaWarning).toBeUndefined();
  });

  test("legacy root model keys load into [defaults] with a deprecation note; [defaults] wins", () => {
    const r = resolveLayers(repo('claude_model = "X"\ncodex_model = "C"\n[defaults]\nclaude_model = "Y"'));
    expect(r.config.defaults.claude_model).toBe("Y");
    expect(r.config.defaults.codex_model).toBe("C");
    expect(r.notes).toEqual([
      "config: root-level claude_model is deprecated; use [defaults].claude_model instead",
      "config: root-level codex_model is deprecated; use [defaults].codex_model instead",
    ]);
  });

  test("unknown keys warn with the file and a did-you-mean", () => {
    const r = resolveLayers(repo('[defaults]\nmixx = "cc"\n[reliabilty]\nretry_budget = 1'));
    expect(r.unknownKeys).toEqual([
      '.rally/config.toml: unknown key [defaults].mixx (did you mean "mix"?)',
      '.rally/config.toml: unknown key [reliabilty] (did you mean "reliability"?)',
    ]);
  });

  test("[fallback] fills [free_run] only when empty, always with a note", () => {
    expect(resolveLayers(repo('[fallback]\ninstructions_file = "f.md"')).config.free_run.prompt_file).toBe("f.md");
    const both = resolveLayers(repo('[fallback]\ninstructions_file = "f.md"\n[free_run]\nprompt_file = "g.md"'));
    expect(both.config.free_run.prompt_file).toBe("g.md");
    expect(both.notes[0]).toContain("[fallback] instructions_file is deprecated");
  });

  test("a custom harness running bare opencode warns about TUI mode", () => {
    const r = resolveLayers(repo('[harness.mycode]\ncommand = ["opencode"]'));
    expect(r.notes[0]).toContain('harness "mycode" command is ["opencode"] without "run" subcommand');
    expect(resolveLayers(repo('[harness.mycode]\ncommand = ["opencode", "run", "$PROMPT"]')).notes).toEqual([]);
  });
});

describe("[reliability] defaults and clamping", () => {
  const rel = (toml: string) => resolveLayers(repo(`[reliability]\n${toml}`));
  test("unset → defaults", () => {
    expect(rel("").config.reliability).toMatchObject({
      stall_threshold_secs: 900, retry_budget: 5, run_timeout_secs: 4500, try_timeout_secs: 3600,
      handoff_timeout_secs: 300, recent_try_count: 5, connected_idle_secs: 300,
    });
  });
  test("budgets under five minutes round up with a note", () => {
    const r = rel("run_timeout_secs = 100");
    expect(r.config.reliability.run_timeout_secs).toBe(300);
    expect(r.notes).toEqual(["config: [reliability].run_timeout_secs=100 was rounded up to 300 because timeout budgets below 5 minutes are not accepted"]);
  });
  test("handoff is clamped inside the try budget", () => {
    const r = rel("try_timeout_secs = 600\nhandoff_timeout_secs = 900");
    expect(r.config.reliability.handoff_timeout_secs).toBe(599);
    expect(r.notes[0]).toContain("handoff_timeout_secs=900 was clamped to 599");
  });
  test("run=300, try=300 keeps the 5-minute handoff minimum without a note", () => {
    const r = rel("run_timeout_secs = 300\ntry_timeout_secs = 300");
    expect(r.config.reliability.handoff_timeout_secs).toBe(300);
    expect(r.notes).toEqual([]);
  });
  test("try ≥ run is accepted", () => {
    expect(rel("try_timeout_secs = 5000\nrun_timeout_secs = 4000").config.reliability).toMatchObject({ try_timeout_secs: 5000, run_timeout_secs: 4000 });
  });
  test("freeze_threshold_secs is accepted as stall_threshold_secs; the canonical key wins", () => {
    expect(rel("freeze_threshold_secs = 60").config.reliability.stall_threshold_secs).toBe(60);
    const both = rel("freeze_threshold_secs = 60\nstall_threshold_secs = 120");
    expect(both.config.reliability.stall_threshold_secs).toBe(120);
    expect(both.notes[0]).toContain("using stall_threshold_secs");
  });
});

describe("layering: user config is the base, the repo overrides per key", () => {
  test("tables merge, routes replace per role, models merge per alias", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rally-layers-"));
    try {
      const home = join(dir, "home");
      const ws = join(dir, "ws");
      mkdirSync(join(home, "xdg", "rally"), { recursive: true });
      mkdirSync(join(ws, ".rally"), { recursive: true });
      writeFileSync(join(home, "xdg", "rally", "config.toml"), [
        "[defaults]", 'mix = "cc"', "iterations = 3",
        "[routes]", 'default = ["cc", "cx"]', 'junior = ["op"]',
        "[harness.cc.models]", 'opus = "o"', 'haiku = "h"',
      ].join("\n"));
      writeFileSync(join(ws, ".rally", "config.toml"), [
        "[defaults]", "iterations = 7",
        "[routes]", 'junior = ["ge"]',
        "[harness.cc.models]", 'haiku = "h2"',
      ].join("\n"));
      const r = await loadConfig({ workspace: ws, env: { HOME: home, XDG_CONFIG_HOME: join(home, "xdg") } });
      expect(r.config.defaults).toMatchObject({ mix: "cc", iterations: 7 });
      expect(r.config.routes).toEqual({ default: ["cc", "cx"], junior: ["ge"] });
      expect(r.config.harness.cc!.models).toEqual({ opus: "o", haiku: "h2" });
      expect(r.layers.map((l) => l.display)).toEqual(["(built-in defaults)", "~/xdg/rally/config.toml", ".rally/config.toml"]);

      // Without XDG_CONFIG_HOME the user file is ~/.config/rally/config.toml: none here.
      const repoOnly = await loadConfig({ workspace: ws, env: { HOME: home } });
      expect(repoOnly.config.routes).toEqual({ junior: ["ge"] });
      expect(repoOnly.config.defaults.mix).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an error names the layer that set the bad key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rally-layers-"));
    try {
      mkdirSync(join(dir, ".config", "rally"), { recursive: true });
      writeFileSync(join(dir, ".config", "rally", "config.toml"), '[harness.cc]\ncommand = ["x"]\n');
      const err = await loadConfig({ workspace: join(dir, "ws"), env: { HOME: dir } }).catch((e) => e);
      expect(err).toBeInstanceOf(RallyError);
      expect(err.message).toStartWith("~/.config/rally/config.toml: [harness.cc].command:");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("TOML syntax errors carry file, line and column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rally-layers-"));
    try {
      mkdirSync(join(dir, ".rally"), { recursive: true });
      writeFileSync(join(dir, ".rally", "config.toml"), 'schema_version = 2\nx = [\n');
      const err = await loadConfig({ workspace: dir, env: { HOME: join(dir, "nohome") } }).catch((e) => e);
      expect(err.code).toBe("CONFIG_TOML_SYNTAX");
      expect(err.message).toMatch(/^\.rally\/config\.toml:\d+:\d+: invalid TOML: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
