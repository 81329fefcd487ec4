// The scenarios every real CLI is driven through, shared by cli-direct.test.ts (assertions)
// and capture-fixtures.ts (recorded stdout/stderr). One case = one CLI run, except `codeword`,
// which is two runs: remember, then resume and ask.

import { type ModelServer, type Scenario, Scenarios } from "../support/model-server.ts";
import type { AgentCli, CliEnvOptions } from "./cli-env.ts";
import { type CliRun, makeSandbox, runCli, type Sandbox, sessionIdOf, setupFor } from "./run-cli.ts";

export const WRITE_TARGET = "mock_created.txt";
export const WRITE_CONTENT = "hello from mock\n";
export const CODEWORD = "PELICAN";

export type CaseName =
  | "text"
  | "write-file"
  | "codeword"
  | "rate-limit-429"
  | "usage-limit"
  | "usage-limit-oauth"
  | "auth-401"
  | "overloaded"
  | "malformed"
  | "hang"
  | "stall";

export interface CaseResult {
  /** One entry per CLI run: [step name, run]. */
  runs: [string, CliRun][];
  sandbox: Sandbox;
}

/** How long a hung run is left alone after the server has logged its model request. */
export const HANG_HOLD_MS = 3000;

interface CaseSpec {
  prompt: string;
  scenario: (sandbox: Sandbox) => Scenario;
  env?: Partial<CliEnvOptions>;
  /** Safety net per run. */
  killAfterMs?: number;
  hang?: boolean;
}

/** Fault cases use the CLI's no-retry knob; opencode has none, so the server sends retry-after-ms. */
const NO_RETRY: Partial<CliEnvOptions> = { retries: "none" };

const CASES: Record<Exclude<CaseName, "codeword">, (cli: AgentCli) => CaseSpec> = {
  text: () => ({ prompt: "Say hello", scenario: () => Scenarios.text("hello from mock") }),
  "write-file": () => ({
    prompt: `Create the file ${WRITE_TARGET} please`,
    scenario: (sb) => Scenarios.writeFile(`${sb.repo}/${WRITE_TARGET}`, WRITE_CONTENT),
  }),
  "rate-limit-429": (cli) => ({
    prompt: "Say hello",
    scenario: () => Scenarios.rateLimit429(cli === "opencode" ? { retryAfterMs: 100 } : {}),
    env: NO_RETRY,
  }),
  "usage-limit": (cli) => ({
    prompt: "Say hello",
    scenario: () => Scenarios.usageLimit(cli === "opencode" ? { retryAfterMs: 100 } : {}),
    env: NO_RETRY,
  }),
  // claude with a subscription-style token: rate_limit_event + claude's own reset wording.
  "usage-limit-oauth": () => ({ prompt: "Say hello", scenario: () => Scenarios.usageLimit(), env: { ...NO_RETRY, claudeAuth: "oauth" } }),
  "auth-401": () => ({ prompt: "Say hello", scenario: () => Scenarios.auth401(), env: NO_RETRY }),
  overloaded: (cli) => ({
    prompt: "Say hello",
    scenario: () => Scenarios.overloaded(cli === "opencode" ? { retryAfterMs: 100 } : {}),
    env: NO_RETRY,
  }),
  // opencode retries a broken stream 5 times with 2–30 s pauses (no knob): about 70 s.
  malformed: () => ({ prompt: "Say hello", scenario: () => Scenarios.malformed(), env: NO_RETRY, killAfterMs: 150_000 }),
  hang: () => ({ prompt: "Say hello", scenario: () => Scenarios.hang(), hang: true }),
  stall: () => ({ prompt: "Say hello", scenario: () => Scenarios.stallAfterHeaders(), hang: true }),
};

async function runSpec(cli: AgentCli, server: ModelServer, sandbox: Sandbox, spec: CaseSpec, resumeId?: string): Promise<CliRun> {
  server.setScenario(spec.scenario(sandbox));
  const setup = setupFor(cli, sandbox, server.url, spec.env);
  const before = server.requests.length;
  const killWhen = spec.hang
    ? server
        .waitForRequest((r) => r.seq > before && r.protocol !== undefined, 60_000)
        .then(() => Bun.sleep(HANG_HOLD_MS))
    : undefined;
  return runCli(setup, spec.prompt, {
    cwd: sandbox.repo,
    killAfterMs: spec.killAfterMs ?? (spec.hang ? 60_000 : 120_000),
    serverPort: server.port,
    killWhen,
    resumeId,
  });
}

/** Run one case for one CLI against `server`. The caller disposes `result.sandbox`. */
export async function runCase(cli: AgentCli, name: CaseName, server: ModelServer): Promise<CaseResult> {
  const sandbox = makeSandbox(`${cli}-${name}`);
  if (name !== "codeword") {
    return { runs: [[name, await runSpec(cli, server, sandbox, CASES[name](cli))]], sandbox };
  }
  const cw = (prompt: string) => ({ prompt, scenario: () => Scenarios.codeword() });
  const first = await runSpec(cli, server, sandbox, cw(`Please remember the codeword ${CODEWORD}.`));
  const id = sessionIdOf(cli, first.stdout);
  const runs: [string, CliRun][] = [["codeword-1", first]];
  if (id) runs.push(["codeword-2", await runSpec(cli, server, sandbox, cw("What was the codeword?"), id)]);
  // Control: a fresh session (no resume) must not know the word.
  runs.push(["codeword-control", await runSpec(cli, server, sandbox, cw("What was the codeword?"))]);
  return { runs, sandbox };
}

export const TEST_CASES: CaseName[] = ["text", "write-file", "codeword", "rate-limit-429", "usage-limit", "hang"];
export const FIXTURE_CASES: CaseName[] = [...TEST_CASES, "usage-limit-oauth", "auth-401", "overloaded", "malformed", "stall"];

/** Cases that only mean something for one CLI. */
export function appliesTo(cli: AgentCli, name: CaseName): boolean {
  return name !== "usage-limit-oauth" || cli === "claude";
}
