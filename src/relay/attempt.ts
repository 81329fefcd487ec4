import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "pathe";
import { lineFeed } from "../harness/line-feed.ts";
import { TailBuffer } from "../harness/lines.ts";
import type { HarnessDescriptor, HarnessResult, InvocationInput, OutputParser } from "../harness/types.ts";
import { describeProbeOutcome, startTrySampler, type ProbeOutcome, type TickResult, type TrySampler, type Verdict } from "../monitor/index.ts";
import { AgentProcess, type AgentExit } from "../sys/agent-process.ts";
import { watchLiveness } from "./liveness.ts";

// One agent invocation: build the argv from the harness descriptor, run it under the supervisor,
// feed its output to the harness parser as it arrives, and stop it on timeout or cancellation.

export type StopReason = "try_timeout" | "run_timeout" | "frozen" | "no_progress" | "skip" | "pause" | "graceful_stop" | "quit_now";

export interface AttemptControl {
  /** Aborted by the operator (skip / quit): the agent gets SIGINT, a drain period, then SIGKILL. */
  signal: AbortSignal;
  /** Aborted when the operator insists (a second Ctrl+C): SIGKILL at once. */
  killSignal: AbortSignal;
  /** Why the signal was aborted; read after it fires. */
  reason(): StopReason | undefined;
}

export interface AttemptInput {
  harness: HarnessDescriptor;
  invocation: InvocationInput;
  logPath: string;
  baseEnv: Record<string, string | undefined>;
  tryTimeoutMs: number;
  /** Absolute time the run budget ends. */
  runDeadline: number;
  control: AttemptControl;
  /** Freeze detection for this try; omitted = none. */
  monitor?: MonitorSettings;
  /** Called once the process is running; `latest` reads the freeze sampler's last tick. */
  onStart?(pid: number, stop: (reason: StopReason) => void, latest: () => TickResult | undefined): void;
}

export interface MonitorSettings {
  stallThresholdS: number;
  connectedWindowS: number;
  onVerdict?(verdict: Verdict): void;
  /** `[reliability] liveness_probe`: probe the session on ambiguous ticks, where the harness can (spec 04 §7). */
  livenessProbe?: boolean;
  /**
   * A liveness probe ended; a dead one also stops the try as frozen (through onVerdict). `text`
   * words it for the relay log: `liveness probe for codex: alive (1.4s)`.
   */
  onProbe?(probe: { harness: string; outcome: ProbeOutcome; text: string }): void;
}

// Node and Bun agents wake on timers and read a few bytes a second from their event loops even
// when idle; below this rate the I/O counters are treated as quiet (see monitor/freeze.ts).
const IDLE_RUNTIME_NOISE_BYTES_PER_S = 256;

export interface AttemptResult {
  exit: AgentExit;
  result: HarnessResult;
  stopReason?: StopReason;
  /** Last lines the CLI wrote to stderr: evidence for failure classification. */
  stderrTail: string;
  /** Last bytes of stdout, used when the harness produced no summary. */
  stdoutTail: string;
  bytes: number;
  /** Set when rally stopped the agent because its parser saw it spinning without progress. */
  noProgress?: string;
  notes: string[];
  argv: string[];
}

const STDERR_TAIL_BYTES = 16 * 1024;
/** What a tail-only parser can need: its output_lines at a generous line length. */
const TAIL_FOR_TAIL_PARSERS = 1024 * 1024;
const STDOUT_TAIL_BYTES = 8 * 1024;

export async function runAttempt(input: AttemptInput): Promise<AttemptResult> {
  let prepared: { restore(): void } | undefined;
  try {
    prepared = await input.harness.prepare?.({ model: input.invocation.model, env: input.baseEnv });
  } catch (err) {
    return preparationFailed(input, err);
  }
  try {
    return await supervise(input);
  } finally {
    prepared?.restore();
  }
}

/** A harness whose set-up failed never starts: record it like a launch failure, with a log. */
function preparationFailed(input: AttemptInput, err: unknown): AttemptResult {
  const message = `could not prepare ${input.harness.id}: ${(err as Error).message ?? String(err)}`;
  mkdirSync(dirname(input.logPath), { recursive: true });
  writeFileSync(input.logPath, `rally: ${message}\n`, { flag: "wx" });
  return {
    exit: { exitCode: null, signal: null, launchError: message, launchErrorCode: "EPREPARE", durationMs: 0, outputBytes: 0 },
    result: { completed: false, summary: "", errorEvents: [] },
    stderrTail: "", stdoutTail: "", bytes: 0, notes: [], argv: [],
  };
}

async function supervise(input: AttemptInput): Promise<AttemptResult> {
  const invocation = input.harness.invocation(input.invocation);
  const parser = input.harness.parser();
  const stderrTail = new TailBuffer(STDERR_TAIL_BYTES);
  const stdoutTail = new TailBuffer(STDOUT_TAIL_BYTES);
  const lines = lineFeed(parser);
  let stopReason: StopReason | undefined;
  let noProgress: string | undefined;

  const proc = AgentProcess.start({
    argv: invocation.argv,
    cwd: input.invocation.workspace,
    env: { ...input.baseEnv, ...invocation.env },
    stdinText: invocation.stdinText,
    logPath: input.logPath,
    // Line parsers act on events while the agent runs; tail-only parsers need just the end.
    followStdout: !!lines,
    stdoutTailBytes: TAIL_FOR_TAIL_PARSERS,
    onChunk(stream, chunk) {
      (stream === "stderr" ? stderrTail : stdoutTail).push(chunk);
      if (lines) lines.push(stream, chunk);
      else parser.onChunk?.(stream, chunk);
      const why = stopReason ? undefined : parser.stuck?.();
      if (why) {
        noProgress = why;
        stop("no_progress");
      }
    },
  });
  const stop = (reason: StopReason) => {
    stopReason ??= reason;
    proc.stop(reason);
  };
  const runRemaining = input.runDeadline - Date.now();
  const budgetReason: StopReason = input.tryTimeoutMs <= runRemaining ? "try_timeout" : "run_timeout";
  const timer = setTimeout(() => stop(budgetReason), Math.max(0, Math.min(input.tryTimeoutMs, runRemaining)));
  const onAbort = () => stop(input.control.reason() ?? "quit_now");
  const onKill = () => {
    stopReason ??= input.control.reason() ?? "quit_now";
    proc.kill(stopReason);
  };
  if (input.control.signal.aborted) onAbort();
  else input.control.signal.addEventListener("abort", onAbort, { once: true });
  if (input.control.killSignal.aborted) onKill();
  else input.control.killSignal.addEventListener("abort", onKill, { once: true });
  const sampler = proc.pid && input.monitor ? watchForFreeze(proc.pid, input, stop, parser) : undefined;
  if (proc.pid) input.onStart?.(proc.pid, stop, () => sampler?.latest());

  try {
    const exit = await proc.exited;
    await sampler?.stop();
    lines?.flush();
    const result = parser.finish(exit.exitCode);
    return {
      exit,
      result,
      stopReason,
      stderrTail: stderrTail.text(),
      stdoutTail: stdoutTail.text(),
      bytes: exit.outputBytes,
      noProgress,
      notes: invocation.notes,
      argv: invocation.argv,
    };
  } finally {
    clearTimeout(timer);
    input.control.signal.removeEventListener("abort", onAbort);
    input.control.killSignal.removeEventListener("abort", onKill);
  }
}

function watchForFreeze(pid: number, input: AttemptInput, stop: (reason: StopReason) => void, parser: OutputParser): TrySampler {
  const monitor = input.monitor!;
  const liveness = monitor.livenessProbe
    ? watchLiveness({
        harness: input.harness,
        invocation: input.invocation,
        baseEnv: input.baseEnv,
        stallThresholdS: monitor.stallThresholdS,
        sessionId: () => parser.sessionId?.(),
        onOutcome: (outcome) =>
          monitor.onProbe?.({ harness: input.harness.id, outcome, text: `liveness probe for ${input.harness.id}: ${describeProbeOutcome(outcome)}` }),
        onDead(reason) {
          monitor.onVerdict?.({ state: "frozen", kind: "probe", reason });
          stop("frozen");
        },
      })
    : undefined;
  const sampler = startTrySampler({
    pgid: pid,
    logPath: input.logPath,
    thresholdS: monitor.stallThresholdS,
    connectedWindowS: monitor.connectedWindowS,
    syscallNoiseBytesPerS: IDLE_RUNTIME_NOISE_BYTES_PER_S,
    onVerdict(verdict) {
      monitor.onVerdict?.(verdict);
      if (verdict.state === "frozen") stop("frozen");
    },
    onTick: liveness?.onTick,
  });
  if (!liveness) return sampler;
  return {
    latest: sampler.latest,
    done: sampler.done,
    async stop() {
      liveness.close();
      await sampler.stop();
    },
  };
}
