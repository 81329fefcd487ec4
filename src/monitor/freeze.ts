// Pure freeze verdicts (spec 04 §6.3, seed §2n), fed one sample per tick. No clocks, no I/O:
// the sample carries its own instant.

export type FreezeMode = "proc" | "silence";
export type VerdictState = "active" | "slowing" | "frozen";
/** "probe": not the detector's own verdict; a failed liveness probe stopped the agent (spec 04 §7). */
export type FreezeKind = "classic" | "connected" | "silence" | "probe";

export interface Verdict {
  state: VerdictState;
  kind?: FreezeKind;
  reason: string;
}

/** Network warnings for the status line (spec 06 §3.4); only in "proc" mode. */
export type NetWarning = "No TCP… (30s)" | "No I/O… (30s)";

export interface FreezeOptions {
  /** Log silence (s) at which the agent is frozen; ≤ 0 disables detection. */
  thresholdS: number;
  /** How long syscall I/O must be idle while connected (s). Default 300. */
  connectedWindowS?: number;
  /** "proc": Linux with /proc (classic + connected). "silence": log silence alone. */
  mode: FreezeMode;
  /** Share of the threshold at which `slowing` shows. Default 0.6. */
  slowingRatio?: number;
  /**
   * Background syscall traffic (bytes/s) still counted as idle while connected. Default 0: any
   * change restarts the idle clock, as spec 04 §6.3 says. An idle Bun process reads ~36 B/s of
   * timer wake-ups, so a small floor (e.g. 256) makes connected-frozen reachable for such agents.
   */
  syscallNoiseBytesPerS?: number;
  /** How long disk I/O must be idle, with the log younger than that, to be ambiguous (s). Default ambiguityWindowS(thresholdS). */
  ambiguityWindowS?: number;
}

export interface FreezeSample {
  /** Sample instant, epoch ms. */
  atMs: number;
  log_silent_s: number;
  connections: number;
  io_bytes: number;
  syscall_bytes: number;
  /** Size of the try log. The agent's stdout is that file, so its growth is disk I/O of the agent's own. */
  log_bytes?: number;
}

export const DEFAULT_CONNECTED_WINDOW_S = 300;
/**
 * Disk I/O is charged a page at a time as the writer dirties page-cache pages; allow for the
 * largest common page size (16 KiB on some arm64 kernels) when crediting log growth.
 */
const PAGE_BYTES = 16 * 1024;

/** The most disk I/O that `grown` bytes appended to the try log can be charged with. */
function logWriteAllowance(grown: number): number {
  return grown > 0 ? (Math.ceil(grown / PAGE_BYTES) + 1) * PAGE_BYTES : 0;
}
export const NET_WARNING_AFTER_S = 30;
/** Upper bound of the ambiguity window (spec 04 §0). */
export const AMBIGUITY_WINDOW_S = 60;

/** The ambiguity window for a stall threshold: 60 s, or the threshold when that is shorter. */
export function ambiguityWindowS(thresholdS: number): number {
  return Math.min(AMBIGUITY_WINDOW_S, thresholdS);
}

export interface FreezeDetector {
  /** Feeds one sample; once frozen the verdict is sticky. */
  feed(sample: FreezeSample): Verdict;
  /** The current network warning, if any (spec 06 §3.4). */
  netWarning(): NetWarning | undefined;
  /**
   * Whether the last sample was ambiguous: the log is moving (silent for less than the window)
   * while the group's disk I/O has not changed for the window (spec 04 §6.3). Never in "silence"
   * mode or once frozen. Only a liveness probe acts on it; the verdicts ignore it.
   */
  ambiguous(): boolean;
}

/** Idle clocks, initialised from the first sample (spec 04 §6.3). */
interface IdleClocks {
  /** syscall total when the idle clock last restarted */
  lastSyscall: number;
  syscallChangedAt: number;
  maxSyscall: number;
  syscallGrewAt: number;
  connectedAt: number;
  /** disk I/O total (read_bytes + write_bytes) and try-log size at the previous sample */
  lastIo: number;
  lastLogBytes: number;
  /** when disk I/O last changed by more than the try log's own growth explains */
  ioChangedAt: number;
}

function track(c: IdleClocks | undefined, s: FreezeSample, noisePerS: number): IdleClocks {
  const next: IdleClocks = c
    ? { ...c }
    : {
        lastSyscall: s.syscall_bytes,
        syscallChangedAt: s.atMs,
        maxSyscall: s.syscall_bytes,
        syscallGrewAt: s.atMs,
        connectedAt: s.atMs,
        lastIo: s.io_bytes,
        lastLogBytes: s.log_bytes ?? 0,
        ioChangedAt: s.atMs,
      };
  // Any change, up or down (a member exited), beyond the noise allowance restarts the idle clock
  // (§6.3 item 1; with no allowance, any change at all).
  const allowance = (noisePerS * (s.atMs - next.syscallChangedAt)) / 1000;
  if (Math.abs(s.syscall_bytes - next.lastSyscall) > allowance) {
    next.lastSyscall = s.syscall_bytes;
    next.syscallChangedAt = s.atMs;
  }
  // The status-line warning only counts growth past the previous maximum (spec 06 §3.4).
  if (s.syscall_bytes > next.maxSyscall) {
    next.maxSyscall = s.syscall_bytes;
    next.syscallGrewAt = s.atMs;
  }
  if (s.connections > 0) next.connectedAt = s.atMs;
  // Disk I/O: any change, up or down (§6.3 item 1), except what the agent's own writes to its try
  // log account for — a log that keeps moving must not read as disk work by itself.
  const ioDelta = s.io_bytes - next.lastIo;
  const logGrowth = Math.max(0, (s.log_bytes ?? 0) - next.lastLogBytes);
  if (ioDelta < 0 || ioDelta > logWriteAllowance(logGrowth)) next.ioChangedAt = s.atMs;
  next.lastIo = s.io_bytes;
  next.lastLogBytes = s.log_bytes ?? 0;
  return next;
}

function netWarningFor(c: IdleClocks, s: FreezeSample): NetWarning | undefined {
  const after = NET_WARNING_AFTER_S * 1000;
  if (s.connections === 0) return s.atMs - c.connectedAt >= after ? "No TCP… (30s)" : undefined;
  return s.atMs - c.syscallGrewAt >= after ? "No I/O… (30s)" : undefined;
}

function isAmbiguous(opts: FreezeOptions, c: IdleClocks, s: FreezeSample): boolean {
  if (opts.mode !== "proc" || opts.thresholdS <= 0) return false;
  const window = opts.ambiguityWindowS ?? ambiguityWindowS(opts.thresholdS);
  return s.log_silent_s < window && s.atMs - c.ioChangedAt >= window * 1000;
}

function assess(opts: FreezeOptions, c: IdleClocks, s: FreezeSample): Verdict {
  const t = opts.thresholdS;
  const silent = s.log_silent_s;
  if (t <= 0) return { state: "active", reason: "freeze detection off" };
  if (silent >= t) {
    const base = `log silent ${silent}s (threshold ${t}s)`;
    if (opts.mode === "silence") return { state: "frozen", kind: "silence", reason: base };
    if (s.connections === 0) return { state: "frozen", kind: "classic", reason: `${base}, no TCP connections` };
    const idle = Math.floor((s.atMs - c.syscallChangedAt) / 1000);
    if (idle >= (opts.connectedWindowS ?? DEFAULT_CONNECTED_WINDOW_S)) {
      const reason = `${base}, ${s.connections} TCP connection(s), no syscall I/O for ${idle}s`;
      return { state: "frozen", kind: "connected", reason };
    }
  }
  const slowAt = Math.ceil((opts.slowingRatio ?? 0.6) * t - 1e-9);
  if (silent >= slowAt) return { state: "slowing", reason: `log silent ${silent}s (slowing at ${slowAt}s)` };
  return { state: "active", reason: `log silent ${silent}s` };
}

export function createFreezeDetector(opts: FreezeOptions): FreezeDetector {
  let clocks: IdleClocks | undefined;
  let frozen: Verdict | undefined;
  let warning: NetWarning | undefined;
  let ambiguous = false;
  return {
    feed(sample) {
      if (frozen) return frozen;
      clocks = track(clocks, sample, opts.syscallNoiseBytesPerS ?? 0);
      warning = opts.mode === "proc" ? netWarningFor(clocks, sample) : undefined;
      const v = assess(opts, clocks, sample);
      ambiguous = v.state !== "frozen" && isAmbiguous(opts, clocks, sample);
      if (v.state === "frozen") frozen = v;
      return v;
    },
    netWarning: () => warning,
    ambiguous: () => ambiguous,
  };
}
