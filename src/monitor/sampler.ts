// The per-try freeze sampler: every tick (1 s) take one group sample, append one netstat row,
// feed the verdict machine and report verdict changes. Time, /proc and files are injected.
import { openAppendSink, statFile, type FileStat } from "../sys/files.ts";
import { systemClock, type Clock } from "../sys/clock.ts";
import { hostProcFs, type ProcFs } from "../sys/procfs.ts";
import { createFreezeDetector, type NetWarning, type Verdict } from "./freeze.ts";
import {
  createGroupScanner,
  EMPTY_SNAPSHOT,
  logSilenceSeconds,
  rfc3339Seconds,
  type GroupSnapshot,
  type NetstatRow,
} from "./sample.ts";

export const SAMPLE_INTERVAL_MS = 1000;

export interface SamplerDeps {
  clock: Clock;
  /** undefined → no /proc (non-Linux): log silence alone decides, byte fields are 0. */
  procfs: ProcFs | undefined;
  /** Stat of the try log; undefined while it does not exist. */
  logStat: () => FileStat | undefined;
  /** Receives one whole JSON line (with trailing newline) per sampled tick. */
  appendLine?: (line: string) => void;
}

export interface SamplerOptions {
  /** The agent's process group id (= its pid when spawned in a new group), or a getter for it. */
  pgid: number | (() => number | undefined);
  thresholdS: number;
  connectedWindowS?: number;
  /** See FreezeOptions.syscallNoiseBytesPerS; default 0 (strict). */
  syscallNoiseBytesPerS?: number;
  intervalMs?: number;
  /** Stop ticking (and writing rows) after the first frozen verdict. Default true (spec 04 §6.6). */
  stopOnFrozen?: boolean;
  /** Called on every change of verdict state or kind (including the first verdict). */
  onVerdict?: (verdict: Verdict, row: NetstatRow) => void;
  /** Check errors (e.g. /proc unreadable); the tick is skipped and sampling continues. */
  onError?: (err: unknown) => void;
  /** Called after every sampled tick (e.g. to schedule a liveness probe); must not block. */
  onTick?: (tick: TickResult) => void;
}

export interface TickResult {
  row: NetstatRow;
  verdict: Verdict;
  snapshot: GroupSnapshot;
  /** The try log's stat at this tick (undefined while missing): feeds `last activity` and `~Nk tok`. */
  log?: FileStat;
  warning?: NetWarning;
  /** Log moving, disk I/O idle for the ambiguity window (spec 04 §6.3): only a liveness probe acts on it. */
  ambiguous: boolean;
}

export interface Sampler {
  /** One tick now; undefined when nothing was sampled (no pgid yet, check error, or stopped). */
  tick(): TickResult | undefined;
  /** Ticks every interval until the signal aborts (or the first frozen verdict). */
  run(signal?: AbortSignal): Promise<void>;
  /** The last successful tick, for the status line. */
  latest(): TickResult | undefined;
}

export function createSampler(deps: SamplerDeps, opts: SamplerOptions): Sampler {
  const { clock, procfs } = deps;
  const startedAt = clock.now();
  const scanner = procfs ? createGroupScanner(procfs) : undefined;
  const detector = createFreezeDetector({
    thresholdS: opts.thresholdS,
    connectedWindowS: opts.connectedWindowS,
    syscallNoiseBytesPerS: opts.syscallNoiseBytesPerS,
    mode: procfs ? "proc" : "silence",
  });
  const stopOnFrozen = opts.stopOnFrozen ?? true;
  const pgidOf = typeof opts.pgid === "function" ? opts.pgid : () => opts.pgid as number;
  const logSilence = createLogSilence(startedAt);
  let last: TickResult | undefined;
  let done = false;

  function snapshot(): GroupSnapshot | undefined {
    if (!scanner) return EMPTY_SNAPSHOT;
    const pgid = pgidOf();
    if (pgid === undefined || pgid <= 0) return undefined;
    try {
      return scanner.scan(pgid);
    } catch (err) {
      opts.onError?.(err);
      return undefined;
    }
  }

  function tick(): TickResult | undefined {
    if (done) return undefined;
    const snap = snapshot();
    if (!snap) return undefined;
    const now = clock.now();
    const log = deps.logStat();
    const row: NetstatRow = {
      ts: rfc3339Seconds(now),
      log_silent_s: logSilence(now, log),
      connections: snap.connections,
      io_bytes: snap.io_bytes,
      syscall_bytes: snap.syscall_bytes,
    };
    deps.appendLine?.(`${JSON.stringify(row)}\n`);
    const verdict = detector.feed({ atMs: now, ...row, log_bytes: log?.size ?? 0 });
    const prev = last?.verdict;
    last = { row, verdict, snapshot: snap, log, warning: detector.netWarning(), ambiguous: detector.ambiguous() };
    if (!prev || prev.state !== verdict.state || prev.kind !== verdict.kind) opts.onVerdict?.(verdict, row);
    opts.onTick?.(last);
    if (verdict.state === "frozen" && stopOnFrozen) done = true;
    return last;
  }

  const run = (signal?: AbortSignal) =>
    tickEvery(clock, opts.intervalMs ?? SAMPLE_INTERVAL_MS, signal, () => {
      tick();
      return !done;
    });

  return { tick, run, latest: () => last };
}

/**
 * Log silence that notices growth by size as well as mtime (a coarse-mtime filesystem must not
 * make an active agent look silent). Silence never predates `startedAt`.
 */
function createLogSilence(startedAt: number) {
  let lastSize: number | undefined;
  let grewAt: number | undefined;
  return (now: number, st: FileStat | undefined): number => {
    if (st) {
      if (lastSize !== undefined && st.size !== lastSize) grewAt = now;
      lastSize = st.size;
      grewAt = Math.max(grewAt ?? st.mtimeMs, st.mtimeMs);
    }
    return logSilenceSeconds(now, grewAt, startedAt);
  };
}

/** Calls `step` every `interval` ms on `clock` (first call one interval in) until it returns false or the signal aborts. */
async function tickEvery(clock: Clock, interval: number, signal: AbortSignal | undefined, step: () => boolean) {
  let next = clock.now();
  for (;;) {
    if (signal?.aborted) return;
    next += interval;
    const now = clock.now();
    if (next < now) next = now; // fell behind (suspended laptop, busy host): do not burst
    await clock.sleep(next - now, signal);
    if (signal?.aborted || !step()) return;
  }
}

/** `…/try-7.log` → `…/try-7.netstat.jsonl` (spec 04 §6.1). */
export function netstatPathFor(logPath: string): string {
  return logPath.endsWith(".log") ? `${logPath.slice(0, -4)}.netstat.jsonl` : `${logPath}.netstat.jsonl`;
}

export interface TrySamplerOptions extends SamplerOptions {
  logPath: string;
  /** Default: netstatPathFor(logPath). */
  netstatPath?: string;
  /** Overrides for tests; default the real clock and the host /proc (null forces silence mode). */
  clock?: Clock;
  procfs?: ProcFs | null;
  /** Aborting it stops the sampler like stop() (e.g. the try's own AbortSignal). */
  signal?: AbortSignal;
}

export interface TrySampler {
  latest(): TickResult | undefined;
  /** Resolves when the loop ends (stop() or a frozen verdict); rejects only if onError throws. */
  readonly done: Promise<void>;
  /** Stops ticking, waits for the loop and closes the netstat file. Idempotent. */
  stop(): Promise<void>;
}

/** Production wiring used by the relay engine for one try. */
export function startTrySampler(opts: TrySamplerOptions): TrySampler {
  const sink = openAppendSink(opts.netstatPath ?? netstatPathFor(opts.logPath));
  const sampler = createSampler(
    {
      clock: opts.clock ?? systemClock,
      procfs: opts.procfs === null ? undefined : (opts.procfs ?? hostProcFs()),
      logStat: () => statFile(opts.logPath),
      appendLine: (line) => sink.write(line),
    },
    opts,
  );
  const abort = new AbortController();
  if (opts.signal?.aborted) abort.abort();
  opts.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  // Never rejects: a throwing callback is reported through onError, and the file is always closed.
  const done = sampler
    .run(abort.signal)
    .catch((err) => opts.onError?.(err))
    .finally(() => sink.close());
  return {
    latest: sampler.latest,
    done,
    async stop() {
      abort.abort();
      await done;
    },
  };
}
