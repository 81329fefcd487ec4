// Shared set-up for the relay benches (capture.ts, iteration.ts): a compiled rally, a compiled
// agent that both arms of a bench run unchanged, and throwaway git workspaces with HOME, XDG and
// git config isolated and rally's data_dir inside the temp dir. Nothing here touches the network.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { isolatedEnv } from "../tests/support/rally.ts";
import { compileBinary } from "../scripts/compile.ts";

export const ROOT = join(import.meta.dir, "..");

// The agent: appends one line to `touch` in its cwd (so the try has a change and completes without
// committing anything big), then writes `mb` MiB of JSON lines to stdout from one reused 1 MiB
// block, with blocking writeSync — about as fast as a pipe or file can take it. With
// $BENCH_AGENT_FORMAT=claude the lines are a Claude Code stream-json session instead (init, then
// turns of tool call / tool result with a ~3.5 KiB file body / assistant text, then a success
// result), so the built-in claude harness parses a realistic stream. With $BENCH_AGENT_WRITES=event
// every line is built (JSON.stringify) and written on its own, the way agent CLIs emit their
// events, instead of the pre-built block: the same bytes at an agent's pace. With $BENCH_AGENT_TIMES set
// it appends "<start> <end> <bytes>" (epoch ms, bytes written) there, so a bench can split a rally
// run into before / during / after the agent and check the capture. Argv:
//   agent <mb> <touch-file|-> [prompt…]
const AGENT_SOURCE = `import { appendFileSync, writeSync } from "node:fs";
const now = () => performance.timeOrigin + performance.now();
const started = now();
const mb = Number(process.argv[2] ?? 0);
const touch = process.argv[3];
if (touch && touch !== "-") appendFileSync(touch, "x\\n");
const claude = process.env.BENCH_AGENT_FORMAT === "claude";
const out = (buf) => { for (let off = 0; off < buf.length; ) off += writeSync(1, buf, off, buf.length - off); return buf.length; };
let written = 0;
let left = Math.round(mb * 1024 * 1024);
const sid = "5b1f6c2e-0000-4000-8000-000000000000";
const line = (o) => JSON.stringify({ ...o, session_id: sid }) + "\\n";
const turnLines = (i) => [
  line({ type: "assistant", message: { content: [{ type: "tool_use", id: "toolu_" + i, name: "Read", input: { file_path: "src/m" + i + ".ts" } }] } }),
  line({ type: "user", message: { content: [{ type: "tool_result", tool_use_id: "toolu_" + i, content: ("export const v" + i + " = 1; // lorem ipsum dolor sit amet\\n").repeat(80) }] } }),
  line({ type: "assistant", message: { content: [{ type: "text", text: "Read src/m" + i + ".ts; the constant is fine, moving on to the next file in the list." }] } }),
];
const turn = (i) => turnLines(i).join("");
const plainLine = (i) => JSON.stringify({ type: "event", seq: i, text: "lorem ipsum dolor sit amet ".repeat(3) }) + "\\n";
if (claude) written += out(Buffer.from(line({ type: "system", subtype: "init", cwd: process.cwd(), tools: ["Read", "Edit", "Bash"] })));
if (process.env.BENCH_AGENT_WRITES === "event") {
  for (let i = 0; left > 0; i++) for (const ev of claude ? turnLines(i) : [plainLine(i)]) { const n = out(Buffer.from(ev)); left -= n; written += n; }
} else if (left > 0) {
  let s = "";
  for (let i = 0; s.length < 1024 * 1024; i++)
    s += claude ? turn(i) : plainLine(i);
  const block = Buffer.from(s);
  // The plain format fills mb MiB exactly; the claude format writes whole turns only.
  while (left > 0 && (!claude || left >= block.length)) { const n = out(block.subarray(0, Math.min(left, block.length))); left -= n; written += n; }
  for (let i = 0; claude && left > 0; i++) { const n = out(Buffer.from(turn(i))); left -= n; written += n; }
}
if (claude) written += out(Buffer.from(line({ type: "result", subtype: "success", is_error: false, result: "done", num_turns: 1 })));
if (process.env.BENCH_AGENT_TIMES) appendFileSync(process.env.BENCH_AGENT_TIMES, started + " " + now() + " " + written + "\\n");
`;

export const agentBytes = (mb: number) => Math.round(mb * 1024 * 1024);

export interface BenchKit {
  work: string;
  rally: string;
  agent: string;
  env: Record<string, string>;
}

/** Compile rally (same flags as scripts/compile.ts) and the agent into a fresh temp dir. */
export async function benchKit(name: string): Promise<BenchKit> {
  const work = realpathSync(mkdtempSync(join(tmpdir(), `rally-bench-${name}-`)));
  writeFileSync(join(work, "agent.ts"), AGENT_SOURCE);
  let rally: string, agent: string;
  try {
    [rally, agent] = await Promise.all([
      compileBinary(join(ROOT, "src/main.ts"), join(work, "rally")),
      compileBinary(join(work, "agent.ts"), join(work, "agent")),
    ]);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
  const home = join(work, "home");
  mkdirSync(home, { recursive: true });
  const env: Record<string, string> = {
    ...isolatedEnv(home),
    GIT_AUTHOR_NAME: "B",
    GIT_AUTHOR_EMAIL: "b@b",
    GIT_COMMITTER_NAME: "B",
    GIT_COMMITTER_EMAIL: "b@b",
  };
  return { work, rally, agent, env };
}

export function git(cwd: string, env: Record<string, string>, args: string[]): string {
  const r = Bun.spawnSync(["git", ...args], { cwd, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")} in ${cwd} failed: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

/** A git repo with one commit and a user identity. */
export function plainRepo(kit: BenchKit, name: string): string {
  const repo = join(kit.work, name);
  mkdirSync(repo, { recursive: true });
  git(repo, kit.env, ["init", "-q", "-b", "main"]);
  git(repo, kit.env, ["config", "user.email", "b@b"]);
  git(repo, kit.env, ["config", "user.name", "B"]);
  writeFileSync(join(repo, "init.txt"), "");
  git(repo, kit.env, ["add", "-A"]);
  git(repo, kit.env, ["commit", "-qm", "init"]);
  return repo;
}

/**
 * A repo after `rally init`, whose committed .rally/config.toml sets data_dir inside the temp dir
 * and defines custom harnesses (name → agent argv after the binary; "$PROMPT" is appended).
 */
export function rallyRepo(kit: BenchKit, name: string, harnesses: Record<string, string[]>): { repo: string; dataDir: string } {
  const repo = plainRepo(kit, name);
  const dataDir = join(kit.work, `${name}-data`);
  const r = Bun.spawnSync([kit.rally, "init"], { cwd: repo, env: kit.env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`rally init failed: ${r.stderr.toString()}`);
  const toml = [`schema_version = 2`, `data_dir = ${JSON.stringify(dataDir)}`, ""];
  for (const [h, args] of Object.entries(harnesses)) {
    toml.push(`[harness.${h}]`, `command = ${JSON.stringify([kit.agent, ...args, "$PROMPT"])}`, "");
  }
  writeFileSync(join(repo, ".rally", "config.toml"), toml.join("\n"));
  git(repo, kit.env, ["add", "-A"]);
  git(repo, kit.env, ["commit", "-qm", "bench config"]);
  return { repo, dataDir };
}

export interface Timed {
  ms: number;
  /** Epoch ms the run started (to line up with $BENCH_AGENT_TIMES). */
  startedAt: number;
  code: number;
  stdout: string;
  stderr: string;
  /** Peak RSS of the process itself: the last VmHWM read from /proc/<pid>/status (polled every 50 ms). */
  hwmBytes?: number;
  /** ru_maxrss from wait4: the largest RSS among the process and the children it reaped. */
  maxRssBytes?: number;
}

/** Run argv to completion, timing it and (on Linux) polling its own peak RSS. */
export async function timed(argv: string[], opts: { cwd: string; env: Record<string, string>; stdout?: "pipe" | "ignore" }): Promise<Timed> {
  const startedAt = performance.timeOrigin + performance.now();
  const t0 = performance.now();
  const proc = Bun.spawn(argv, { cwd: opts.cwd, env: opts.env, stdin: "ignore", stdout: opts.stdout ?? "pipe", stderr: "pipe" });
  let hwm: number | undefined;
  const status = `/proc/${proc.pid}/status`;
  const poll = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, "utf8"));
      if (m) hwm = Math.max(hwm ?? 0, Number(m[1]) * 1024);
    } catch {
      // exited (or not Linux)
    }
  };
  const watch = existsSync("/proc/self/status") ? setInterval(poll, 50) : undefined;
  const [stdout, stderr, code] = await Promise.all([
    proc.stdout && typeof proc.stdout !== "number" ? new Response(proc.stdout).text() : "",
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const ms = performance.now() - t0;
  clearInterval(watch);
  return { ms, startedAt, code, stdout, stderr, hwmBytes: hwm, maxRssBytes: proc.resourceUsage()?.maxRSS };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Flush dirty pages between runs so one run's writeback does not land in the next one's time. */
export function settle(): void {
  Bun.spawnSync(["sync"]);
}

export const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** The last "<start> <end> <bytes>" line the agent appended to $BENCH_AGENT_TIMES. */
export function lastAgentSpan(path: string): { start: number; end: number; bytes: number } {
  const line = readFileSync(path, "utf8").trim().split("\n").at(-1)!;
  const [start, end, bytes] = line.split(" ").map(Number);
  return { start: start!, end: end!, bytes: bytes! };
}

export function lastTry(repo: string): Record<string, any> {
  const lines = readFileSync(join(repo, ".rally/state/tries.jsonl"), "utf8").split("\n").filter(Boolean);
  return JSON.parse(lines.at(-1)!);
}
