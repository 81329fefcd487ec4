import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { dirname } from "pathe";
import { signalGroup } from "./signal-group.ts";

// Supervises one agent CLI: its own process group (setsid), stdin from /dev/null or the prompt,
// stdout and stderr written to the try log byte for byte as they arrive, and a stop that reaches
// every process the agent started. Nothing here holds the whole output in memory.

export interface AgentSpawnSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdinText?: string;
  /** Created exclusively: an existing log is never overwritten. */
  logPath: string;
  /**
   * "stream" (default): stdout is piped through rally, chunk by chunk, for live line parsing.
   * "file": the agent writes stdout straight into the try log (no copy through rally, which is
   * what keeps large outputs cheap); after exit rally hands back its last `stdoutTailBytes`.
   */
  stdout?: "stream" | "file";
  stdoutTailBytes?: number;
  onChunk(stream: "stdout" | "stderr", chunk: Uint8Array): void;
}

export interface AgentExit {
  exitCode: number | null;
  signal: string | null;
  /** Set when the process could not be started at all (missing binary, argv too long, …). */
  launchError?: string;
  launchErrorCode?: string;
  durationMs: number;
  /** Bytes the agent wrote to stdout and stderr together. */
  outputBytes: number;
  /** Why rally ended it, if it did. */
  stoppedBy?: string;
}

/** How long a stopping agent gets between SIGINT and SIGKILL, and the pipes after exit. */
export const DRAIN_MS = 5000;
const PIPE_GRACE_MS = 2000;

export class AgentProcess {
  readonly exited: Promise<AgentExit>;
  private proc?: ReturnType<typeof Bun.spawn>;
  private stoppedBy?: string;
  private killTimer?: ReturnType<typeof setTimeout>;

  private constructor(private readonly spec: AgentSpawnSpec, private readonly started: number) {
    this.exited = this.run();
  }

  static start(spec: AgentSpawnSpec): AgentProcess {
    return new AgentProcess(spec, Date.now());
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Graceful stop: SIGINT to the group, SIGKILL after the drain period. Idempotent. */
  stop(reason: string): void {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    if (this.stoppedBy) return;
    this.stoppedBy = reason;
    this.signalGroup("SIGINT");
    this.killTimer = setTimeout(() => this.signalGroup("SIGKILL"), DRAIN_MS);
  }

  /** Immediate stop of the whole group. */
  kill(reason: string): void {
    this.stoppedBy ??= reason;
    this.signalGroup("SIGKILL");
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.proc?.pid) signalGroup(this.proc.pid, signal);
  }

  private async run(): Promise<AgentExit> {
    mkdirSync(dirname(this.spec.logPath), { recursive: true });
    // Append mode: stderr chunks and (in file mode) the agent's own stdout writes never clobber.
    const log = openSync(this.spec.logPath, "ax+");
    const fileMode = this.spec.stdout === "file";
    const stderrRanges: [number, number][] = [];
    let piped = 0;
    const write = (stream: "stdout" | "stderr", chunk: Uint8Array) => {
      writeSync(log, chunk);
      piped += chunk.length;
      if (fileMode) {
        const end = fstatSync(log).size;
        stderrRanges.push([end - chunk.length, end]);
      }
      this.spec.onChunk(stream, chunk);
    };
    try {
      try {
        this.proc = Bun.spawn(this.spec.argv, {
          cwd: this.spec.cwd,
          env: this.spec.env,
          stdin: this.spec.stdinText === undefined ? "ignore" : new TextEncoder().encode(this.spec.stdinText),
          stdout: fileMode ? log : "pipe",
          stderr: "pipe",
          detached: true,
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const message = launchMessage(this.spec.argv[0] ?? "", e);
        writeSync(log, `rally: ${message}\n`);
        return { exitCode: null, signal: null, launchError: message, launchErrorCode: e.code, durationMs: Date.now() - this.started, outputBytes: 0 };
      }
      const proc = this.proc;
      const pumps = Promise.all([
        fileMode ? Promise.resolve() : pump(proc.stdout as ReadableStream<Uint8Array>, (c) => write("stdout", c)),
        pump(proc.stderr as ReadableStream<Uint8Array>, (c) => write("stderr", c)),
      ]);
      await proc.exited;
      // The leader is gone; children it left behind may still hold the pipes. Give them a moment,
      // then end the whole group so no agent process outlives its try.
      const drained = await Promise.race([pumps.then(() => true), Bun.sleep(PIPE_GRACE_MS).then(() => false)]);
      this.signalGroup("SIGKILL");
      if (!drained) {
        if (!fileMode) (proc.stdout as ReadableStream).cancel().catch(() => {});
        (proc.stderr as ReadableStream).cancel().catch(() => {});
      }
      await Promise.race([pumps, Bun.sleep(500)]);
      clearTimeout(this.killTimer);
      const size = fstatSync(log).size;
      if (fileMode) this.spec.onChunk("stdout", stdoutTail(log, size, stderrRanges, this.spec.stdoutTailBytes ?? 64 * 1024));
      return {
        exitCode: proc.exitCode,
        signal: proc.signalCode === null ? null : String(proc.signalCode),
        durationMs: Date.now() - this.started,
        outputBytes: fileMode ? size : piped,
        stoppedBy: this.stoppedBy,
      };
    } finally {
      closeSync(log);
    }
  }
}

/** The last `max` bytes of what the agent wrote to stdout: the log's tail minus rally's stderr appends. */
function stdoutTail(log: number, size: number, stderr: [number, number][], max: number): Uint8Array {
  const stderrBytes = stderr.reduce((n, [a, b]) => n + (b - a), 0);
  const from = Math.max(0, size - max - stderrBytes);
  const window = Buffer.alloc(size - from);
  readSync(log, window, 0, window.length, from);
  const parts: Uint8Array[] = [];
  let at = from;
  for (const [a, b] of stderr) {
    if (b <= at) continue;
    if (a > at) parts.push(window.subarray(at - from, a - from));
    at = Math.max(at, b);
  }
  if (at < size) parts.push(window.subarray(at - from));
  const out = Buffer.concat(parts);
  return out.length > max ? out.subarray(out.length - max) : out;
}

async function pump(stream: ReadableStream<Uint8Array>, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value?.length) onChunk(value);
    }
  } catch {
    // cancelled after the grace period
  } finally {
    reader.releaseLock();
  }
}

function launchMessage(bin: string, err: NodeJS.ErrnoException): string {
  if (err.code === "ENOENT") return `could not start "${bin}": command not found (install it or fix PATH)`;
  if (err.code === "E2BIG") return `could not start "${bin}": the prompt is longer than the OS argument limit`;
  if (err.code === "EACCES") return `could not start "${bin}": permission denied (make it executable)`;
  return `could not start "${bin}": ${err.message}`;
}
