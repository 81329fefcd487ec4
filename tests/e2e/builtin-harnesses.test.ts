import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { relaySandbox, SCRIPTED_AGENT, type RelaySandbox } from "../support/relay-fixture.ts";

// Each built-in harness through `rally relay`, with a fake CLI of the same name on PATH that
// records how rally invoked it and replays output captured from the real CLI. The fake reads its
// stdin to EOF on every run, so a rally that left stdin open would hang these tests.

const REAL = join(import.meta.dir, "..", "fixtures", "agents");
const AGY = join(import.meta.dir, "..", "..", "src", "harness", "antigravity", "fixtures");

interface Case {
  alias: string;
  id: string;
  bin: string;
  out: string;
  err?: string;
  session: string;
  /** Flags rally must pass on a fresh run. */
  fresh: string[];
  /** The resume argument(s) on a second attempt. */
  resumed: (session: string) => string[];
  failure: { out: string; err?: string; category: string };
}

const CASES: Case[] = [
  {
    alias: "cc", id: "claude", bin: "claude", out: `${REAL}/claude/text.stdout.txt`, session: "",
    fresh: ["-p", "--dangerously-skip-permissions", "--output-format", "stream-json", "--verbose"],
    resumed: (id) => ["--resume", id],
    failure: { out: `${REAL}/claude/usage-limit.stdout.txt`, category: "usage_limit" },
  },
  {
    alias: "cx", id: "codex", bin: "codex", out: `${REAL}/codex/text.stdout.txt`, session: "",
    fresh: ["exec", "--json", "--dangerously-bypass-approvals-and-sandbox"],
    resumed: (id) => ["resume", id],
    failure: { out: `${REAL}/codex/usage-limit.stdout.txt`, err: `${REAL}/codex/usage-limit.stderr.txt`, category: "usage_limit" },
  },
  {
    alias: "ge", id: "gemini", bin: "gemini", out: `${REAL}/gemini/text.stdout.txt`, session: "",
    fresh: ["-o", "stream-json", "--yolo"],
    resumed: (id) => ["--resume", id],
    failure: { out: `${REAL}/gemini/rate-limit-429.stdout.txt`, err: `${REAL}/gemini/rate-limit-429.stderr.txt`, category: "short_rate_limit" },
  },
  {
    alias: "op", id: "opencode", bin: "opencode", out: `${REAL}/opencode/text.stdout.txt`, session: "",
    fresh: ["run", "--format", "json"],
    resumed: (id) => ["--session", id],
    failure: { out: `${REAL}/opencode/usage-limit.stdout.txt`, err: `${REAL}/opencode/usage-limit.stderr.txt`, category: "usage_limit" },
  },
  {
    alias: "ag", id: "antigravity", bin: "agy", out: `${AGY}/print.stdout.txt`, err: `${AGY}/print.stderr.txt`, session: "",
    fresh: ["--print"],
    resumed: (id) => [`--conversation=${id}`],
    failure: { out: `${AGY}/quota.stdout.txt`, err: `${AGY}/quota.stderr.txt`, category: "usage_limit" },
  },
];

/** A bin dir whose claude/codex/gemini/opencode/agy all run the scripted agent. */
function fakeClis(s: RelaySandbox): string {
  const bin = join(s.dir, "fake-bin");
  mkdirSync(bin, { recursive: true });
  for (const c of CASES) {
    const path = join(bin, c.bin);
    // AGENT_SCRIPT_<bin> lets one relay give each fake CLI its own script.
    const perBin = `AGENT_SCRIPT_${c.bin}`;
    writeFileSync(path, `#!/bin/sh\n[ -n "$${perBin}" ] && export AGENT_SCRIPT="$${perBin}"\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(SCRIPTED_AGENT)} "$@"\n`);
    chmodSync(path, 0o755);
  }
  return bin;
}

const replay = (c: { out: string; err?: string }) => [`cat:${c.out}`, ...(c.err ? [`caterr:${c.err}`] : [])].join(",");

describe.each(CASES)("built-in harness $id through rally relay", (c) => {
  test("fresh run: argv, session id, summary, usage; a resumed attempt passes the session back", async () => {
    await using s = await relaySandbox({});
    const env = { PATH: `${fakeClis(s)}:${s.env.PATH}`, HOME: s.home };
    // Attempt 1 answers but changes nothing ("no changes made"), attempt 2 resumes and changes a file.
    const r = await s.run(["relay", "-i", "1", "--agent", c.alias, "say hello"], {
      env: { ...env, AGENT_SCRIPT_1: replay(c), AGENT_SCRIPT: `${replay(c)},append:work.txt=1` },
    });
    expect(r.stderr).not.toContain("error:");
    expect(r.code).toBe(0);
    const [first, second] = s.tries();
    expect(first).toMatchObject({ agent_type: c.id, completed: false, fail_reason: "no changes made" });
    expect(first!.session_id).toBeString();
    expect(first!.summary.length).toBeGreaterThan(0);
    expect(second).toMatchObject({ agent_type: c.id, completed: true, attempt_number: 2, session_id: first!.session_id });
    const [fresh, resumed] = s.invocations();
    for (const flag of c.fresh) expect(fresh!.argv).toContain(flag);
    const resumeArgs = c.resumed(first!.session_id!);
    const at = resumed!.argv.indexOf(resumeArgs[0]!);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(resumed!.argv.slice(at, at + resumeArgs.length)).toEqual(resumeArgs);
    expect(fresh!.argv.some((a) => a.startsWith("--resume") || a === "resume" || a.startsWith("--conversation") || a === "--session")).toBe(false);
  }, 30_000);

  test("the CLI's reported failure is classified from its own output", async () => {
    await using s = await relaySandbox({});
    s.writeConfig("[reliability]\nretry_budget = 1");
    const env = { PATH: `${fakeClis(s)}:${s.env.PATH}`, HOME: s.home };
    // A limit benches the agent and the relay then waits for the reset: stop it once recorded.
    const relay = s.spawn(["relay", "-i", "1", "--agent", c.alias, "t"], { env: { ...env, AGENT_SCRIPT: `${replay(c.failure)},exit:1` } });
    await s.waitFor(() => s.tries().length > 0);
    relay.kill("SIGINT");
    await relay.exited;
    expect(s.tries()[0]).toMatchObject({ agent_type: c.id, completed: false, category: c.failure.category });
  }, 30_000);
});

test("round robin over every built-in: one of each, in order, with the right agent_type", async () => {
  await using s = await relaySandbox({});
  const env = { PATH: `${fakeClis(s)}:${s.env.PATH}`, HOME: s.home };
  const scripts = Object.fromEntries(CASES.map((c) => [`AGENT_SCRIPT_${c.bin}`, `${replay(c)},append:work.txt=1`]));
  const r = await s.run(["relay", "-i", "5", "--agent", "cc cx ge op ag", "t"], { env: { ...env, ...scripts } });
  expect(r.code).toBe(0);
  expect(s.tries().map((t) => t.agent_type)).toEqual(["claude", "codex", "gemini", "opencode", "antigravity"]);
}, 60_000);

describe("a 401 on every try (claude's real auth output)", () => {
  const auth = `cat:${REAL}/claude/auth-401.stdout.txt,caterr:${REAL}/claude/auth-401.stderr.txt,exit:1`;
  const agentStatus = (s: RelaySandbox) =>
    (existsSync(join(s.repo, ".rally/state/agent_status.jsonl")) ? readFileSync(join(s.repo, ".rally/state/agent_status.jsonl"), "utf8") : "")
      .split("\n").filter(Boolean).map((l) => JSON.parse(l));

  test("one confirming retry, then paused, and a lone agent ends the relay 'all agents unavailable'", async () => {
    await using s = await relaySandbox({});
    const env = { PATH: `${fakeClis(s)}:${s.env.PATH}`, HOME: s.home };
    const r = await s.run(["relay", "-i", "1", "--agent", "cc", "t"], { env: { ...env, AGENT_SCRIPT: auth } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("relay failed: all agents unavailable");
    expect(r.stderr).toContain("claude is out for this relay: auth/proxy error");
    expect(s.tries().map((t) => [t.attempt_number, t.category])).toEqual([[1, "auth_or_proxy"], [2, "auth_or_proxy"]]);
    const paused = agentStatus(s).filter((e) => e.event_type === "paused");
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatchObject({ agent_type: "claude", reason: "2 infra failures in one run" });
    expect(s.relays().at(-1)!.ended_at).toBeTruthy();
  }, 30_000);

  test("with a second runner the relay carries on with it instead of waiting", async () => {
    await using s = await relaySandbox({});
    const env = { PATH: `${fakeClis(s)}:${s.env.PATH}`, HOME: s.home };
    const r = await s.run(["relay", "-i", "2", "--agent", "cc cx", "t"], {
      env: { ...env, AGENT_SCRIPT_claude: auth, AGENT_SCRIPT_codex: `cat:${REAL}/codex/text.stdout.txt,append:work.txt=1` },
    });
    expect(r.code).toBe(0);
    expect(s.tries().map((t) => [t.agent_type, t.completed])).toEqual([["claude", false], ["claude", false], ["codex", true], ["codex", true]]);
  }, 30_000);
});

describe("claude: only claude's own words are a limit, not the model's", () => {
  const stream = (model: string, text: string) =>
    [
      { type: "system", subtype: "init", session_id: "5b1f6c2e-0000-4000-8000-00000000000a", tools: ["Read"] },
      { type: "assistant", message: { model, role: "assistant", content: [{ type: "text", text }] }, session_id: "5b1f6c2e-0000-4000-8000-00000000000a" },
    ].map((e) => JSON.stringify(e)).join("\n") + "\n";

  async function failedTry(model: string, text: string) {
    await using s = await relaySandbox({});
    s.writeConfig("[reliability]\nretry_budget = 1");
    const out = join(s.dir, "claude.stdout.txt");
    writeFileSync(out, stream(model, text));
    const env = { PATH: `${fakeClis(s)}:${s.env.PATH}`, HOME: s.home };
    // claude dies before its result event; a limit would bench it and wait, so stop once recorded.
    const relay = s.spawn(["relay", "-i", "1", "--agent", "cc", "t"], { env: { ...env, AGENT_SCRIPT: `cat:${out},exit:1` } });
    await s.waitFor(() => s.tries().length > 0);
    relay.kill("SIGINT");
    await relay.exited;
    return s.tries()[0]!;
  }

  test("the model quoting a limit in its last message, then a crash: agent_error", async () => {
    const t = await failedTry("claude-haiku-4-5", "limits.md says: You've hit your limit · resets 7pm (Europe/Istanbul)");
    expect(t).toMatchObject({ agent_type: "claude", completed: false, category: "agent_error" });
  }, 30_000);

  test("claude's own synthetic message with the same words: usage_limit", async () => {
    const t = await failedTry("<synthetic>", "You've hit your limit · resets 7pm (Europe/Istanbul)");
    expect(t).toMatchObject({ agent_type: "claude", completed: false, category: "usage_limit" });
  }, 30_000);
});
