// Shared setup for the relay-*.test.ts suites: the real agent CLIs driven by `rally relay`
// against the scripted model server. Everything a CLI needs is expressed the way a user would:
//   - the isolated HOME / XDG / TMPDIR / CODEX_HOME in the environment of the rally process,
//   - the gateway variables in `[harness.<id>] env = {...}`,
//   - the provider/model flags in `[harness.<id>] extra_args = [...]`,
//   - settings files (gemini settings.json, codex config.toml) written into that HOME first.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type ModelServer, type Scenario, startModelServer } from "../support/model-server.ts";
import { stopAfter } from "../support/rally.ts";
import { relaySandbox, type RelaySandbox } from "../support/relay-fixture.ts";
import { type AgentCli, type CliEnvOptions, cliEnv, isolationEnv } from "./cli-env.ts";
import { AGENTS_DIR, BASE_PATH, establishedSockets, groupPids, type SocketHold } from "./run-cli.ts";

export const ENABLED = process.env.RALLY_TEST_AGENT_CLIS === "1";
export const AGENTS_BIN = join(AGENTS_DIR, "node_modules", ".bin");
export const ALIAS: Record<AgentCli, string> = { claude: "cc", codex: "cx", gemini: "ge", opencode: "op" };

/** Flags rally's built-in harnesses already pass (codex refuses a repeated flag). */
const RALLY_OWN_FLAGS = new Set(["--dangerously-skip-permissions", "--dangerously-bypass-approvals-and-sandbox", "--skip-git-repo-check", "--yolo", "--skip-trust"]);

/** Variables that isolate the CLI (they go on the rally process, which passes them on). */
const ISOLATION_KEYS = new Set(Object.keys(isolationEnv({ serverUrl: "", home: "" })));

export interface AgentRelay {
  s: RelaySandbox;
  server: ModelServer;
  /** Environment of the rally process. */
  env: Record<string, string>;
  run(args: string[], timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }>;
  spawn(args: string[]): Bun.Subprocess;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface AgentRelayOptions {
  scenario: Scenario;
  /** Options for cli-env (e.g. `retries: "none"`). */
  cli?: Partial<CliEnvOptions>;
  /** Extra TOML appended to the config (e.g. a [reliability] table). */
  toml?: string;
}

const tomlString = (s: string) => JSON.stringify(s); // JSON escapes are valid TOML basic-string escapes
const tomlTable = (rec: Record<string, string>) => `{ ${Object.entries(rec).map(([k, v]) => `${k} = ${tomlString(v)}`).join(", ")} }`;

/** The `[harness.<id>]` table a user would write to point `cli` at a gateway. */
export function harnessTable(cli: AgentCli, env: Record<string, string>, extraArgs: string[]): string {
  return `[harness.${cli}]\nenv = ${tomlTable(env)}\nextra_args = [${extraArgs.map(tomlString).join(", ")}]\n`;
}

/** A relay sandbox whose config points every CLI in `clis` at one scripted model server. */
export async function agentRelay(clis: AgentCli[], o: AgentRelayOptions): Promise<AgentRelay> {
  const server = startModelServer({ scenario: o.scenario });
  const s = await relaySandbox({});
  const home = s.home;
  const opts: CliEnvOptions = { serverUrl: server.url, home, tmpdir: join(home, "tmp"), root: process.getuid?.() === 0, ...o.cli };
  const env: Record<string, string> = {
    ...s.env,
    ...isolationEnv(opts),
    PATH: `${AGENTS_BIN}:${BASE_PATH}`,
    CODEX_HOME: join(home, ".codex"),
  };
  mkdirSync(env.TMPDIR!, { recursive: true });
  const tables: string[] = [];
  for (const cli of clis) {
    const setup = cliEnv(cli, opts);
    for (const [rel, content] of Object.entries(setup.files)) {
      mkdirSync(dirname(join(home, rel)), { recursive: true });
      writeFileSync(join(home, rel), content);
    }
    const gateway = Object.fromEntries(Object.entries(setup.env).filter(([k]) => !ISOLATION_KEYS.has(k) && k !== "CODEX_HOME"));
    tables.push(harnessTable(cli, gateway, setup.extraArgs.filter((f) => !RALLY_OWN_FLAGS.has(f))));
  }
  s.writeConfig(`${o.toml ?? ""}\n${tables.join("\n")}`);
  return {
    s,
    server,
    env,
    run: (args, timeoutMs = 240_000) => runRally(s, env, args, timeoutMs),
    spawn: (args) => s.spawn(args, { env }),
    async [Symbol.asyncDispose]() {
      await server.stop();
      await s[Symbol.asyncDispose]();
    },
  };
}

async function runRally(s: RelaySandbox, env: Record<string, string>, args: string[], timeoutMs: number) {
  const proc = s.spawn(args, { env });
  const cancel = stopAfter(proc, timeoutMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout as ReadableStream).text(), new Response(proc.stderr as ReadableStream).text(), proc.exited]);
  cancel();
  return { code, stdout, stderr };
}

/** Stop a background relay the way a user does (Ctrl+C) and wait for it. */
export async function interrupt(proc: Bun.Subprocess, timeoutMs = 30_000): Promise<number> {
  proc.kill("SIGINT");
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}

export function git(a: AgentRelay, ...args: string[]): string {
  const r = Bun.spawnSync(["git", ...args], { cwd: a.s.repo, env: a.env, stdout: "pipe", stderr: "pipe" });
  return r.stdout.toString();
}

export function runState(a: AgentRelay): Record<string, any> {
  try {
    return JSON.parse(readFileSync(join(a.s.repo, ".rally/state/run-state.json"), "utf8"));
  } catch {
    return {};
  }
}

/** ESTABLISHED sockets to 127.0.0.1:`port` held by the processes of group `pgid`. */
export function groupSockets(pgid: number, port: number): SocketHold[] {
  return establishedSockets(pgid, port).filter((h) => h.remote === `127.0.0.1:${port}`);
}

export { groupPids };

/** Try log text (the CLI's captured output). */
export const tryLog = (t: Record<string, any>) => {
  try {
    return readFileSync(t.log_path, "utf8");
  } catch {
    return "";
  }
};

/** Failure context for expect messages. */
export const why = (r: { code: number; stdout: string; stderr: string }, a: AgentRelay) =>
  `rc=${r.code}\n--- stdout\n${r.stdout.slice(-2000)}\n--- stderr\n${r.stderr.slice(-2000)}\n--- tries\n${JSON.stringify(a.s.tries(), null, 1).slice(-3000)}`;
