// rally's liveness probe against the real codex CLI and the scripted model server: a real codex
// run creates a session, then rally's probe runner asks that session with codex's own probe argv
// (src/harness/codex) and judges the answer. Gated: RALLY_TEST_AGENT_CLIS=1, after
// `cd tests/agents && bun install`.

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { codexLivenessProbe } from "../../src/harness/codex/index.ts";
import type { HarnessConfig } from "../../src/config/schema.ts";
import { runLivenessProbe } from "../../src/monitor/index.ts";
import { systemClock } from "../../src/sys/clock.ts";
import { spawnGroupProcess } from "../../src/sys/group-process.ts";
import { type ModelServer, type Scenario, Scenarios, startModelServer } from "../support/model-server.ts";
import type { CliSetup } from "./cli-env.ts";
import { AGENTS_BIN, ENABLED } from "./relay-support.ts";
import { BASE_PATH, makeSandbox, runCli, type Sandbox, sessionIdOf, setupFor } from "./run-cli.ts";

/** Flags the probe argv already has (codex refuses a repeated flag). */
const RALLY_OWN_FLAGS = new Set(["--dangerously-bypass-approvals-and-sandbox", "--skip-git-repo-check"]);
const FIRST_PROMPT = "Say hello";
const PROBE_TEXT = "Respond with exactly OK.";

/**
 * The agent's own turn gets `agentTurn`. The probe gets OK only when its request carries the
 * agent's earlier turn: a probe that did not ask the agent's conversation is told otherwise.
 */
function probeAware(agentTurn: Scenario): Scenario {
  return Scenarios.custom("probe-aware", (c) => {
    if (!c.lastUserText.includes(PROBE_TEXT)) return agentTurn.reply(c);
    const sameConversation = c.turns.some((t) => t.role === "user" && t.text.includes(FIRST_PROMPT));
    return { kind: "text", text: sameConversation ? "OK" : "which conversation?" };
  });
}

/** Rally's probe of `sessionId`, as the relay runs it: [harness.codex] env/extra_args, PATH from the rally process. */
function probeOf(sb: Sandbox, setup: CliSetup, sessionId: string) {
  const config: HarnessConfig = { models: {}, env: setup.env, extra_args: setup.extraArgs.filter((f) => !RALLY_OWN_FLAGS.has(f)) };
  return () =>
    runLivenessProbe({
      probe: (answerPath) => codexLivenessProbe({ sessionId, model: "", workspace: sb.repo, config, answerPath }),
      cwd: sb.repo,
      env: { PATH: `${AGENTS_BIN}:${BASE_PATH}` },
      spawn: spawnGroupProcess,
      clock: systemClock,
    });
}

function sessionFiles(sb: Sandbox): string[] {
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  return walk(join(sb.home, ".codex", "sessions"));
}

async function withServer(scenario: Scenario, body: (server: ModelServer) => Promise<void>) {
  const server = startModelServer({ scenario });
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

describe.if(ENABLED)("liveness probe on real codex", () => {
  test("a finished session: alive when it answers OK, dead on any other answer or a failed call", async () => {
    using sb = makeSandbox("probe");
    await withServer(probeAware(Scenarios.text("hello from mock")), async (server) => {
      const setup = setupFor("codex", sb, server.url, { retries: "none" });
      const first = await runCli(setup, FIRST_PROMPT, { cwd: sb.repo, killAfterMs: 60_000 });
      expect(first.exitCode, first.stderr.slice(-1500)).toBe(0);
      const probe = probeOf(sb, setup, sessionIdOf("codex", first.stdout)!);

      const before = server.modelRequests().length;
      const alive = await probe();
      expect(alive, JSON.stringify(alive)).toMatchObject({ status: "alive" });
      expect(server.modelRequests().length).toBe(before + 1); // one small model call per probe

      server.setScenario(Scenarios.text("I am busy right now"));
      expect(await probe()).toMatchObject({ status: "dead", why: 'answered "I am busy right now"' });

      server.setScenario(Scenarios.auth401());
      expect(await probe()).toMatchObject({ status: "dead", why: expect.stringMatching(/^exit 1/) }); // codex --json reports it on stdout
    });
  }, 120_000);

  test("a session whose agent is still mid-turn: the probe gets through, and the agent's session is untouched", async () => {
    using sb = makeSandbox("probe-live");
    // The agent's own model call never answers (connected and silent), like an agent deep in a turn.
    await withServer(probeAware(Scenarios.hang()), async (server) => {
      const setup = setupFor("codex", sb, server.url, { retries: "none" });
      let release!: () => void;
      const agent = runCli(setup, FIRST_PROMPT, { cwd: sb.repo, killAfterMs: 60_000, killWhen: new Promise<void>((r) => (release = r)) });
      try {
        await server.waitForRequest((r) => r.protocol !== undefined, 30_000);
        const [rollout] = sessionFiles(sb);
        const sessionId = /([0-9a-f]{8}-[0-9a-f-]{27})\.jsonl$/.exec(rollout!)![1]!;
        const before = readFileSync(rollout!, "utf8");
        const outcome = await probeOf(sb, setup, sessionId)();
        expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: "alive" });
        expect(readFileSync(rollout!, "utf8")).toBe(before); // nothing added to the running agent's session
        expect(sessionFiles(sb)).toEqual([rollout!]); // and no session of its own left behind
      } finally {
        release();
        const run = await agent;
        expect(run.killed).toBe(true); // the agent was still running all along
      }
    });
  }, 120_000);

  test("an unknown session is dead, not alive", async () => {
    using sb = makeSandbox("probe-unknown");
    await withServer(Scenarios.text("OK"), async (server) => {
      const setup = setupFor("codex", sb, server.url, { retries: "none" });
      const outcome = await probeOf(sb, setup, "01a210ae-0000-7000-8000-000000000000")();
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: "dead" });
      expect(server.modelRequests()).toHaveLength(0);
    });
  }, 60_000);
});
