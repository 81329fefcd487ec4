// Runs one liveness probe (spec 04 §7): the harness's question to the agent's session, in its own
// process group, with a 30 s budget after which the group is killed. The answer goes to a file in
// a private temp directory that is always removed. Never throws: every way it can end is an outcome.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import type { LivenessProbe } from "../harness/types.ts";
import type { Clock } from "../sys/clock.ts";
import type { GroupExit, GroupProcess, GroupSpawner } from "../sys/group-process.ts";
import type { ProbeOutcome } from "./probe-schedule.ts";

export const PROBE_TIMEOUT_MS = 30_000;
/** How long a killed probe gets to be reaped before its temp directory goes. */
const REAP_MS = 1000;
const ANSWER_SHOWN_CHARS = 60;

export interface ProbeRunInput {
  /** The harness's probe of the session, given where the answer must go. */
  probe(answerPath: string): LivenessProbe;
  cwd: string;
  /** The agent's environment; the probe's own env is laid over it. */
  env: Record<string, string | undefined>;
  spawn: GroupSpawner;
  clock: Clock;
  /** Default PROBE_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Aborted when the try is over: the probe is killed and the outcome is inconclusive. */
  signal?: AbortSignal;
}

type Ending = { kind: "exited"; exit: GroupExit } | { kind: "timeout" } | { kind: "aborted" };

export async function runLivenessProbe(input: ProbeRunInput): Promise<ProbeOutcome> {
  const started = input.clock.now();
  const ms = () => input.clock.now() - started;
  const dead = (why: string): ProbeOutcome => ({ status: "dead", why, ms: ms() });
  const inconclusive = (why: string): ProbeOutcome => ({ status: "inconclusive", why, ms: ms() });
  let dir: string | undefined;
  let child: GroupProcess | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), "rally-probe-"));
    const answerPath = join(dir, "answer.txt");
    const probe = input.probe(answerPath);
    try {
      child = input.spawn({ argv: probe.argv, cwd: input.cwd, env: { ...input.env, ...probe.env } });
    } catch (err) {
      return inconclusive(launchMessage(probe.argv[0] ?? "", err as NodeJS.ErrnoException));
    }
    const timeoutMs = input.timeoutMs ?? PROBE_TIMEOUT_MS;
    const ending = await waitForEnd(child, input.clock, timeoutMs, input.signal);
    if (ending.kind === "aborted") return inconclusive("cancelled: the try ended");
    if (ending.kind === "timeout") return dead(`no answer within ${+(timeoutMs / 1000).toFixed(2)}s`);
    const { exitCode, signal } = ending.exit;
    if (signal) return dead(`killed by ${signal}`);
    if (exitCode !== 0) {
      const stderr = child.stderrTail();
      const cannot = probe.couldNotAsk?.({ exitCode, stderr });
      return cannot ? inconclusive(cannot) : dead(`exit ${exitCode}${lastLine(stderr)}`);
    }
    const answer = readAnswer(answerPath).trim();
    if (probe.isAlive(answer)) return { status: "alive", ms: ms() };
    return dead(answer ? `answered ${JSON.stringify(clip(answer))}` : "no answer");
  } catch (err) {
    return inconclusive(`probe error: ${(err as Error).message ?? String(err)}`);
  } finally {
    await cleanUp(child, dir, input.clock);
  }
}

/** The leader's exit, the timeout, or the caller's abort, whichever comes first. */
async function waitForEnd(child: GroupProcess, clock: Clock, timeoutMs: number, signal?: AbortSignal): Promise<Ending> {
  const done = new AbortController();
  const aborted = new Promise<Ending>((resolve) => {
    if (signal?.aborted) return resolve({ kind: "aborted" });
    signal?.addEventListener("abort", () => resolve({ kind: "aborted" }), { once: true, signal: done.signal });
  });
  try {
    return await Promise.race([
      child.exited.then((exit): Ending => ({ kind: "exited", exit })),
      clock.sleep(timeoutMs, done.signal).then((): Ending => ({ kind: "timeout" })),
      aborted,
    ]);
  } finally {
    done.abort(); // ends the timer and drops the abort listener
  }
}

/** Kill whatever is left of the probe's group, let it be reaped, remove the temp directory. */
async function cleanUp(child: GroupProcess | undefined, dir: string | undefined, clock: Clock): Promise<void> {
  if (child) {
    child.killGroup();
    const reaped = new AbortController();
    await Promise.race([child.exited.catch(() => undefined), clock.sleep(REAP_MS, reaped.signal)]);
    reaped.abort();
  }
  if (dir) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // a temp directory left behind is not worth failing a probe over
    }
  }
}

function readAnswer(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function lastLine(text: string): string {
  const line = text.trimEnd().split("\n").at(-1)?.trim();
  return line ? `: ${clip(line)}` : "";
}

function clip(text: string): string {
  return text.length > ANSWER_SHOWN_CHARS ? `${text.slice(0, ANSWER_SHOWN_CHARS)}…` : text;
}

function launchMessage(bin: string, err: NodeJS.ErrnoException): string {
  if (err.code === "ENOENT") return `could not start "${bin}": command not found`;
  return `could not start "${bin}": ${err.message ?? String(err)}`;
}
