// Spawning helpers shared by cli-direct.test.ts and capture-fixtures.ts: a throwaway git repo
// with an isolated HOME, one CLI run in its own process group, /proc socket inspection.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type AgentCli, type CliEnvOptions, type CliSetup, cliEnv, headlessArgv } from "./cli-env.ts";

export const AGENTS_DIR = import.meta.dir;
export const binPath = (cli: AgentCli) => join(AGENTS_DIR, "node_modules", ".bin", cli);

/** Only what the CLIs need from the outside: node and git on PATH. */
export const BASE_PATH = "/usr/local/bin:/usr/bin:/bin";

export interface Sandbox {
  dir: string;
  home: string;
  tmp: string;
  repo: string;
  [Symbol.dispose](): void;
}

export function makeSandbox(label: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), `rally-agent-${label}-`));
  const home = join(dir, "home");
  const tmp = join(home, "tmp");
  const repo = join(dir, "repo");
  for (const d of [home, tmp, repo]) mkdirSync(d, { recursive: true });
  const git = (...args: string[]) => {
    const r = Bun.spawnSync(["git", ...args], { cwd: repo, env: { PATH: BASE_PATH, HOME: home } });
    if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
  };
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "README.md"), "# scratch repo for agent CLI tests\n");
  git("-c", "user.name=rally-test", "-c", "user.email=rally-test@example.invalid", "add", "README.md");
  git("-c", "user.name=rally-test", "-c", "user.email=rally-test@example.invalid", "commit", "-q", "-m", "init");
  return { dir, home, tmp, repo, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

export function setupFor(cli: AgentCli, sandbox: Sandbox, serverUrl: string, extra: Partial<CliEnvOptions> = {}): CliSetup {
  const setup = cliEnv(cli, { serverUrl, home: sandbox.home, tmpdir: sandbox.tmp, root: process.getuid?.() === 0, ...extra });
  for (const [rel, content] of Object.entries(setup.files)) {
    const path = join(sandbox.home, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return setup;
}

export interface CliRun {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when the run was ended by `killAfterMs`. */
  killed: boolean;
  /** ESTABLISHED sockets to the server port held by the group, sampled just before the kill. */
  establishedBeforeKill?: SocketHold[];
}

export interface RunOptions {
  cwd: string;
  /** Kill the whole process group after this long (hang scenarios, safety net). */
  killAfterMs: number;
  /** Port of the model server, to sample held sockets before a kill. */
  serverPort?: number;
  /** Resolves when it is time to kill early (e.g. the server logged the hung request). */
  killWhen?: Promise<unknown>;
}

export async function runCli(setup: CliSetup, prompt: string, o: RunOptions & { resumeId?: string }): Promise<CliRun> {
  const argv = headlessArgv(setup, prompt, o.resumeId);
  const started = performance.now();
  const child = Bun.spawn([binPath(setup.cli), ...argv], {
    cwd: o.cwd,
    env: { PATH: BASE_PATH, ...setup.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true, // own process group, so the kill reaches node children and relaunches
  });
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  let killed = false;
  let held: SocketHold[] | undefined;
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (o.serverPort !== undefined) held = establishedSockets(child.pid, o.serverPort);
    killed = true;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // group already gone
    }
  };
  const timer = setTimeout(kill, o.killAfterMs);
  o.killWhen?.then(kill, () => {});
  await child.exited;
  clearTimeout(timer);
  // Detached grandchildren (opencode's background install) must not outlive the test.
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // nothing left
  }
  return {
    argv: [setup.cli, ...argv],
    exitCode: child.exitCode,
    signal: child.signalCode === null ? null : String(child.signalCode),
    stdout: await stdout,
    stderr: await stderr,
    durationMs: Math.round(performance.now() - started),
    killed,
    establishedBeforeKill: held,
  };
}

/** Parsed JSON lines of a run's stdout (non-JSON lines are skipped). */
export function jsonLines(stdout: string): any[] {
  const out: any[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // not JSON
    }
  }
  return out;
}

/** The session id as each CLI really emits it (spec 07 §5). */
export function sessionIdOf(cli: AgentCli, stdout: string): string | undefined {
  for (const e of jsonLines(stdout)) {
    const id = cli === "codex" ? (e.type === "thread.started" ? e.thread_id : undefined) : cli === "opencode" ? e.sessionID : e.session_id;
    if (typeof id === "string" && id) return id;
  }
  return undefined;
}

/** The final assistant text of a successful run. */
export function finalTextOf(cli: AgentCli, stdout: string): string {
  const events = jsonLines(stdout);
  switch (cli) {
    case "claude":
      return events.findLast((e) => e.type === "result")?.result ?? "";
    case "codex":
      return events.findLast((e) => e.type === "item.completed" && e.item?.type === "agent_message")?.item.text ?? "";
    case "gemini":
      return events.filter((e) => e.type === "message" && e.role === "assistant").map((e) => e.content).join("");
    case "opencode":
      return events.findLast((e) => e.type === "text")?.part?.text ?? "";
  }
}

export interface SocketHold {
  pid: number;
  comm: string;
  local: string;
  remote: string;
}

/** Pids whose process group is `pgid` (agents are started as group leaders). */
export function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) pids.push(Number(name));
    } catch {
      // process went away
    }
  }
  return pids;
}

function hexAddr(hex: string): string {
  const [ip, port] = hex.split(":");
  const bytes = ip!.match(/../g)!.map((b) => parseInt(b, 16)).reverse();
  return `${bytes.join(".")}:${parseInt(port!, 16)}`;
}

/** ESTABLISHED (state 01) IPv4 sockets to 127.0.0.1:`port` held by any process of group `pgid`. */
export function establishedSockets(pgid: number, port: number): SocketHold[] {
  const holds: SocketHold[] = [];
  for (const pid of groupPids(pgid)) {
    const inodes = new Set<string>();
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      }
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      for (const row of readFileSync(`/proc/${pid}/net/tcp`, "utf8").split("\n").slice(1)) {
        const f = row.trim().split(/\s+/);
        if (f.length < 10 || f[3] !== "01" || !inodes.has(f[9]!)) continue;
        const remote = hexAddr(f[2]!);
        if (remote.endsWith(`:${port}`)) holds.push({ pid, comm, local: hexAddr(f[1]!), remote });
      }
    } catch {
      // process went away
    }
  }
  return holds;
}

function safeReadlink(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return "";
  }
}
