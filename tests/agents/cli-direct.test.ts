// The four real agent CLIs, spawned directly against the scripted model server.
// Gated: RALLY_TEST_AGENT_CLIS=1, after `cd tests/agents && bun install`.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ModelServer, Scenarios, startModelServer } from "../support/model-server.ts";
import { CODEWORD, type CaseResult, runCase, WRITE_CONTENT, WRITE_TARGET } from "./cases.ts";
import { AGENT_CLIS, type AgentCli } from "./cli-env.ts";
import { binPath, type CliRun, finalTextOf, jsonLines, sessionIdOf } from "./run-cli.ts";

const ENABLED = process.env.RALLY_TEST_AGENT_CLIS === "1";
const TIMEOUT = 180_000;

/** Exit codes measured in spec 07b for HTTP 429: gemini exits with the status mod 256. */
const EXIT_ON_429: Record<AgentCli, number> = { claude: 1, codex: 1, gemini: 173, opencode: 1 };

/** The text that carries an API error in each CLI's JSON output. */
function errorTextOf(cli: AgentCli, run: CliRun): string {
  const events = jsonLines(run.stdout);
  switch (cli) {
    case "claude": {
      const r = events.findLast((e) => e.type === "result");
      return r?.is_error ? `${r.api_error_status} ${r.result}` : "";
    }
    case "codex":
      return events.findLast((e) => e.type === "turn.failed")?.error?.message ?? "";
    case "gemini": {
      const r = events.findLast((e) => e.type === "result");
      return r?.status === "error" ? r.error.message : "";
    }
    case "opencode": {
      const e = events.findLast((x) => x.type === "error");
      return e ? `${e.error.data.statusCode} ${e.error.data.message}` : "";
    }
  }
}

function only(result: CaseResult, step: string): CliRun {
  const run = result.runs.find(([name]) => name === step)?.[1];
  if (!run) throw new Error(`no run ${step}`);
  return run;
}

/** Stdout/stderr tail for failure messages. */
const tail = (run: CliRun) => `rc=${run.exitCode}\n--- stdout\n${run.stdout.slice(-1500)}\n--- stderr\n${run.stderr.slice(-1500)}`;

describe.if(ENABLED)("real agent CLIs against the model server", () => {
  let server: ModelServer;
  const results: CaseResult[] = [];
  beforeAll(() => {
    server = startModelServer({ scenario: Scenarios.text("unused") });
  });
  afterAll(async () => {
    for (const r of results) r.sandbox[Symbol.dispose]();
    await server.stop();
  });
  const run = async (cli: AgentCli, name: Parameters<typeof runCase>[1]) => {
    const r = await runCase(cli, name, server);
    results.push(r);
    return r;
  };

  for (const cli of AGENT_CLIS) {
    describe(cli, () => {
      test("is installed in tests/agents/node_modules", () => {
        expect(existsSync(binPath(cli))).toBe(true);
      });

      test("text reply", async () => {
        const r = only(await run(cli, "text"), "text");
        expect(r.exitCode, tail(r)).toBe(0);
        expect(finalTextOf(cli, r.stdout)).toBe("hello from mock");
        expect(sessionIdOf(cli, r.stdout)).toBeTruthy();
      }, TIMEOUT);

      test("writes a file through a tool call, then answers", async () => {
        const result = await run(cli, "write-file");
        const r = only(result, "write-file");
        expect(r.exitCode, tail(r)).toBe(0);
        expect(readFileSync(join(result.sandbox.repo, WRITE_TARGET), "utf8")).toBe(WRITE_CONTENT);
        expect(finalTextOf(cli, r.stdout)).toBe("done: file written");
      }, TIMEOUT);

      test("resumes the session: the codeword comes back only from the resent history", async () => {
        const result = await run(cli, "codeword");
        const [first, second, control] = ["codeword-1", "codeword-2", "codeword-control"].map((s) => only(result, s));
        expect(first!.exitCode, tail(first!)).toBe(0);
        expect(finalTextOf(cli, first!.stdout)).toBe("OK");
        expect(second!.exitCode, tail(second!)).toBe(0);
        expect(finalTextOf(cli, second!.stdout)).toBe(CODEWORD);
        expect(sessionIdOf(cli, second!.stdout)).toBe(sessionIdOf(cli, first!.stdout)!);
        expect(finalTextOf(cli, control!.stdout)).toBe("I do not know");
      }, TIMEOUT);

      test("HTTP 429 rate limit: non-zero exit and an error carrying 429", async () => {
        const r = only(await run(cli, "rate-limit-429"), "rate-limit-429");
        expect(r.exitCode, tail(r)).toBe(EXIT_ON_429[cli]);
        const text = errorTextOf(cli, r);
        expect(text, tail(r)).toMatch(/429|rate limit|exhausted/i);
      }, TIMEOUT);

      test("usage limit: non-zero exit and the provider's usage wording", async () => {
        const r = only(await run(cli, "usage-limit"), "usage-limit");
        expect(r.exitCode, tail(r)).toBe(EXIT_ON_429[cli]);
        const text = errorTextOf(cli, r).replaceAll("’", "'");
        const wording: Record<AgentCli, RegExp> = {
          claude: /You've hit your limit · resets 7pm \(Europe\/Istanbul\)/,
          codex: /You've hit your usage limit/,
          gemini: /exhausted your daily quota/,
          opencode: /^429 You've hit your usage limit/,
        };
        expect(text, tail(r)).toMatch(wording[cli]);
      }, TIMEOUT);

      // Only claude has a subscription-token path that changes its output (spec 07b §2).
      if (cli === "claude") test("usage limit with a subscription (OAuth) token: rate_limit_event with the reset epoch", async () => {
        const r = only(await run(cli, "usage-limit-oauth"), "usage-limit-oauth");
        expect(r.exitCode, tail(r)).toBe(1);
        const event = jsonLines(r.stdout).find((e) => e.type === "rate_limit_event");
        expect(event?.rate_limit_info).toMatchObject({ status: "rejected", rateLimitType: "five_hour" });
        expect(event.rate_limit_info.resetsAt).toBeGreaterThan(Date.now() / 1000);
        expect(errorTextOf(cli, r)).toMatch(/^429 You've hit your session limit · resets \d{1,2}(:\d{2})?[ap]m \(UTC\)$/);
      }, TIMEOUT);

      test("hang: the process group holds an ESTABLISHED connection and never finishes by itself", async () => {
        const r = only(await run(cli, "hang"), "hang");
        expect(r.killed, tail(r)).toBe(true);
        expect(r.establishedBeforeKill?.length ?? 0).toBeGreaterThan(0);
      }, TIMEOUT);
    });
  }
});
