// Real-backend smoke tests: `rally relay` exactly as a user runs it, against the real providers,
// with the user's own CLI logins (real HOME). Gated: RALLY_TEST_REAL_AGENTS=1. Each test skips,
// with the reason in its name, when its CLI is not on PATH or shows no sign of a login.
// Mirrors the test-driving skill's section 0 list; the model slugs are the skill's canonical ones.
// Never run in CI: it spends real quota.

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { jsonl } from "../support/relay-fixture.ts";
import { gitSync, rally } from "../support/rally.ts";

const ENABLED = process.env.RALLY_TEST_REAL_AGENTS === "1";
const TIMEOUT = 600_000;
const MODELS = {
  claude_model: "claude-haiku-4-5",
  codex_model: "gpt-5.4-mini",
  gemini_model: "gemini-3.1-pro-preview",
  opencode_model: "opencode/big-pickle", // free; NOT opencode-zen/...
  antigravity_model: "Gemini 3.5 Flash (High)",
};
const ANSI = /\x1b\[/;

const home = process.env.HOME ?? homedir();
const onPath = (bin: string) => Bun.which(bin) !== null;
const anyFile = (...paths: string[]) => paths.some((p) => existsSync(p));
const anyEnv = (...names: string[]) => names.some((n) => (process.env[n] ?? "") !== "");

/** Why a test for `bin` cannot run here, or undefined when it can. */
function missing(bin: "claude" | "codex" | "gemini" | "opencode" | "agy" | "laps"): string | undefined {
  if (!onPath(bin)) return `${bin} not on PATH`;
  const codexHome = process.env.CODEX_HOME ?? join(home, ".codex");
  const dataHome = process.env.XDG_DATA_HOME ?? join(home, ".local", "share");
  const authed: Record<string, () => boolean> = {
    claude: () => anyEnv("ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN") || anyFile(join(home, ".claude", ".credentials.json")) || /"oauthAccount"/.test(safeRead(join(home, ".claude.json"))),
    codex: () => anyEnv("OPENAI_API_KEY", "CODEX_API_KEY") || anyFile(join(codexHome, "auth.json")),
    gemini: () => anyEnv("GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI") || anyFile(join(home, ".gemini", "oauth_creds.json")),
    opencode: () => true, // opencode/big-pickle is free: no login needed
    agy: () => anyFile(join(home, ".gemini", "antigravity-cli")),
    laps: () => true,
  };
  return authed[bin]!() ? undefined : `${bin} is not logged in`;
}

function safeRead(p: string): string {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return "";
  }
}

/** First reason any of `bins` cannot run; printed and put in the test name. */
function skipReason(...bins: Parameters<typeof missing>[0][]): string | undefined {
  if (!ENABLED) return "RALLY_TEST_REAL_AGENTS is not 1";
  const reason = bins.map(missing).find(Boolean);
  if (reason) console.log(`[real-backend] skipped: ${reason}`);
  return reason;
}

function realTest(name: string, bins: Parameters<typeof missing>[0][], fn: () => Promise<void>) {
  const reason = skipReason(...bins);
  test.skipIf(reason !== undefined)(reason && ENABLED ? `${name} (skipped: ${reason})` : name, fn, TIMEOUT);
}

interface Repo {
  repo: string;
  dataDir: string;
  env: Record<string, string>;
  relay(args: string[]): ReturnType<typeof rally>;
  tries(): Record<string, any>[];
  relays(): Record<string, any>[];
  status(): Record<string, any>[];
  relayLog(): string;
}

const made: string[] = [];

/** A throwaway git repo, `rally init`, and a config with the canonical slugs; data_dir shared if given. */
async function repo(label: string, extraToml = "", shared?: string): Promise<Repo> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `rally-real-${label}-`)));
  made.push(dir);
  const repoDir = join(dir, "repo");
  mkdirSync(repoDir);
  const dataDir = shared ?? join(dir, "data");
  const env: Record<string, string> = { ...(process.env as Record<string, string>), RALLY_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
  gitSync(repoDir, env, ["init", "-q", "-b", "main"]);
  gitSync(repoDir, env, ["config", "user.email", "t@t.com"]);
  gitSync(repoDir, env, ["config", "user.name", "T"]);
  writeFileSync(join(repoDir, "init.txt"), "");
  gitSync(repoDir, env, ["add", "."]);
  gitSync(repoDir, env, ["commit", "-qm", "init"]);
  const init = await rally(["init"], { cwd: repoDir, env });
  expect(init.code, init.stderr).toBe(0);
  const defaults = Object.entries(MODELS).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join("\n");
  writeFileSync(join(repoDir, ".rally", "config.toml"), `schema_version = 2\ndata_dir = ${JSON.stringify(dataDir)}\n${extraToml}\n[defaults]\n${defaults}\n`);
  const state = (f: string) => jsonl(join(repoDir, ".rally", "state", f));
  return {
    repo: repoDir,
    dataDir,
    env,
    relay: (args) => rally(["relay", "--new", ...args], { cwd: repoDir, env, timeoutMs: TIMEOUT - 30_000 }),
    tries: () => state("tries.jsonl"),
    relays: () => state("relays.jsonl"),
    status: () => state("agent_status.jsonl"),
    relayLog: () => {
      const root = join(dataDir, "relays");
      if (!existsSync(root)) return "";
      return readdirSync(root).flatMap((k) => readdirSync(join(root, k)).map((f) => safeRead(join(root, k, f)))).join("");
    },
  };
}

const why = (r: { code: number; stdout: string; stderr: string }, x: Repo) =>
  `rc=${r.code}\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}\n${JSON.stringify(x.tries()).slice(-2000)}`;

describe.if(ENABLED)("real backends through rally relay (RALLY_TEST_REAL_AGENTS=1)", () => {
  realTest("basic claude relay creates a file", ["claude"], async () => {
    const x = await repo("basic");
    const r = await x.relay(["--iterations", "1", "--agent", "cc", "Create an empty file called smoke-test.txt"]);
    expect(r.code, why(r, x)).toBe(0);
    expect(existsSync(join(x.repo, "smoke-test.txt"))).toBe(true);
    expect(x.tries().at(-1)).toMatchObject({ agent_type: "claude", completed: true });
    expect(x.tries().at(-1)!.commit_hash).toMatch(/^[0-9a-f]{40}$/);
  });

  realTest("laps queue: hooks installed, both laps done", ["claude", "laps"], async () => {
    const x = await repo("laps");
    const laps = (...a: string[]) => Bun.spawnSync(["laps", ...a], { cwd: x.repo, env: x.env, stdout: "pipe", stderr: "pipe" });
    for (const a of [["init"], ["on"]]) expect(laps(...a).exitCode).toBe(0);
    expect(laps("add", "head", "--title", "Task 1", "--description", "Create file task1.txt with content 'done'").exitCode).toBe(0);
    expect(laps("add", "tail", "--title", "Task 2", "--description", "Create file task2.txt with content 'done'").exitCode).toBe(0);
    const r = await x.relay(["--iterations", "2", "--agent", "cc"]);
    expect(r.code, why(r, x)).toBe(0);
    expect(r.stdout + r.stderr).toContain("Installed rally hooks in");
    for (const f of ["task1.txt", "task2.txt"]) expect(existsSync(join(x.repo, f))).toBe(true);
    const list = laps("list").stdout.toString();
    expect(list).not.toContain("Task 1");
    expect(list).not.toContain("Task 2");
  });

  realTest("log scoping: two repos sharing a data_dir get two subdirectories", ["claude"], async () => {
    const shared = realpathSync(mkdtempSync(join(tmpdir(), "rally-real-shared-")));
    made.push(shared);
    const a = await repo("scope-a", "", shared);
    const b = await repo("scope-b", "", shared);
    for (const x of [a, b]) {
      const r = await x.relay(["--iterations", "1", "--agent", "cc", "Create an empty file called scoped.txt"]);
      expect(r.code, why(r, x)).toBe(0);
    }
    expect(readdirSync(join(shared, "tries"))).toHaveLength(2);
    expect(readdirSync(join(shared, "relays"))).toHaveLength(2);
    expect(a.tries().at(-1)!.log_path).not.toBe(b.tries().at(-1)!.log_path);
  });

  realTest("codex relay: no CLI argument conflicts", ["codex"], async () => {
    const x = await repo("codex");
    const r = await x.relay(["--iterations", "1", "--agent", "cx", "Create a file called codex-test.txt containing ok"]);
    expect(r.code, why(r, x)).toBe(0);
    const t = x.tries().at(-1)!;
    expect(t).toMatchObject({ agent_type: "codex", completed: true });
    expect(t.session_id).toBeString();
    expect(safeRead(t.log_path)).not.toContain("cannot be used multiple times");
  });

  realTest("opencode relay: headless, no TUI escape codes in the summary", ["opencode"], async () => {
    const x = await repo("opencode");
    const r = await x.relay(["--iterations", "1", "--agent", "op", "Create a file called opencode-e2e.txt containing ok"]);
    const t = x.tries().at(-1)!;
    expect(t, why(r, x)).toMatchObject({ agent_type: "opencode" });
    expect(t.summary).not.toMatch(ANSI);
    if (t.completed) {
      expect(r.code).toBe(0);
      expect(t.session_id).toBeString();
    } else if (["transient_infra", "usage_limit", "short_rate_limit", "auth_or_proxy"].includes(t.category)) {
      // An infra failure is a valid outcome here only with its pause/bench on record.
      expect(x.status().some((e) => e.agent_type === "opencode")).toBe(true);
    }
  });

  realTest("antigravity relay: agy --print, model from settings (restored), conversation id", ["agy"], async () => {
    const settings = join(home, ".gemini", "antigravity-cli", "settings.json");
    const before = safeRead(settings);
    const x = await repo("agy");
    const r = await x.relay(["--iterations", "1", "--agent", "ag", "Create a file called agy-test.txt containing ok"]);
    expect(r.code, why(r, x)).toBe(0);
    const t = x.tries().at(-1)!;
    expect(t).toMatchObject({ agent_type: "antigravity", completed: true });
    expect(t.session_id).toBeString();
    expect(safeRead(settings)).toBe(before);
  });

  realTest("retry budget exhaustion pauses the agent and the relay waits", [], async () => {
    // Deterministic like the skill's version: an agent that always fails with an infra error.
    const fail = `[harness.broken]\ncommand = ["sh", "-c", "echo 'Error: connect ECONNREFUSED 127.0.0.1:443' >&2; exit 1"]\n[reliability]\nretry_budget = 2\n`;
    const x = await repo("budget", fail);
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "..", "..", "src", "main.ts"), "relay", "--new", "-i", "1", "--agent", "broken", "t"], {
      cwd: x.repo, env: x.env, stdin: "ignore", stdout: "pipe", stderr: "pipe",
    });
    const out = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    const deadline = Date.now() + 60_000;
    while (!x.relayLog().includes("all agents paused, waiting") && Date.now() < deadline) await Bun.sleep(200);
    proc.kill("SIGINT");
    await proc.exited;
    expect(x.relayLog(), (await out).join("\n")).toContain("all agents paused, waiting");
    expect(x.status().filter((e) => e.event_type === "paused" && e.agent_type === "broken")).toHaveLength(1);
    expect(x.tries().map((t) => t.category)).toEqual(["transient_infra", "transient_infra"]);
  });

  realTest("custom harness via `opencode run`: valid try record, agent_mix names it", ["opencode"], async () => {
    const custom = [
      "[harness.mycode]",
      'command = ["opencode", "run", "$PROMPT", "--format", "json"]',
      'model_flag = "--model"',
      'output_strategy = "tail"',
      "output_lines = 50",
      'tail_stream = "stdout"',
      "[harness.mycode.models]",
      'mini = "opencode/big-pickle"',
      'zai = "zai-coding-plan/glm-5.1"',
    ].join("\n");
    const x = await repo("custom", custom);
    const r = await x.relay(["--iterations", "1", "--agent", "mycode:mini", "Create file custom-test.txt"]);
    const t = x.tries().at(-1)!;
    expect(t, why(r, x)).toMatchObject({ agent_type: "mycode" });
    expect(t.summary).not.toMatch(ANSI);
    expect(x.relays().at(-1)!.agent_mix).toContain("mycode");
  });

  realTest('multi-harness round robin "cc ge op": one of each, in order', ["claude", "gemini", "opencode"], async () => {
    const x = await repo("mix");
    const r = await x.relay(["--iterations", "3", "--agent", "cc ge op", "Create a unique new file for this iteration, named after the agent you are"]);
    expect(r.code, why(r, x)).toBe(0);
    expect(x.tries().map((t) => t.agent_type)).toEqual(["claude", "gemini", "opencode"]);
  });

  afterAll(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
});
