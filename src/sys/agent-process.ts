import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { resolve } from "pathe";
import { signalGroup } from "./signal-group.ts";
import { TryLog } from "./try-log.ts";

// Supervises one agent CLI: its own process group (setsid), stdin from /dev/null or the prompt,
// its stdout written by the agent itself straight into the try log, its stderr piped through rally
// into the same log, and a stop that reaches every process the agent started. The agent never
// waits for rally (no stdout pipe to fill), and nothing here holds the whole output in memory.

export interface AgentSpawnSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdinText?: string;
  /** Created exclusively: an existing log is never overwritten. */
  logPath: string;
  /**
   * true: rally reads the agent's stdout back out of the log as it grows and hands it over chunk
   * by chunk (line parsers, which act on events while the agent runs). false: only its last
   * `stdoutTailBytes`, once, after the exit (tail-only parsers).
   */
  followStdout?: boolean;
  stdoutTailBytes?: number;
  /** A followed stdout chunk is a view of a buffer the next read reuses: copy what you keep. */
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
/** How often the log is checked for new stdout while the agent runs, and how much is read at once. */
const FOLLOW_INTERVAL_MS = 50;
const FOLLOW_READ_BYTES = 1024 * 1024;

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
    const log = TryLog.create(this.spec.logPath);
    try {
      try {
        this.proc = Bun.spawn(this.spec.argv, {
          cwd: this.spec.cwd,
          env: this.spec.env,
          stdin: this.spec.stdinText === undefined ? "ignore" : new TextEncoder().encode(this.spec.stdinText),
          stdout: log.fd,
          stderr: "pipe",
          detached: true,
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const message = launchMessage(this.spec.argv[0] ?? "", this.spec, e);
        log.append(`rally: ${message}\n`);
        return { exitCode: null, signal: null, launchError: message, launchErrorCode: e.code, durationMs: Date.now() - this.started, outputBytes: 0 };
      }
      const proc = this.proc;
      const stderr = pump(proc.stderr as ReadableStream<Uint8Array>, (chunk) => {
        log.append(chunk);
        this.spec.onChunk("stderr", chunk);
      });
      const writersGone = Promise.withResolvers<void>();
      // A consumer that throws ends the following, not the supervision: it is rethrown once the
      // group is gone, so a parser bug never leaves an agent running.
      let consumerError: unknown;
      const following = this.spec.followStdout ? this.follow(log, writersGone.promise).catch((e) => void (consumerError = e)) : undefined;
      await proc.exited;
      // The leader is gone; children it left behind may still hold stderr. Give them a moment,
      // then end the whole group so no agent process outlives its try.
      const drained = await Promise.race([stderr.then(() => true), Bun.sleep(PIPE_GRACE_MS).then(() => false)]);
      this.signalGroup("SIGKILL");
      if (!drained) (proc.stderr as ReadableStream).cancel().catch(() => {});
      await Promise.race([stderr, Bun.sleep(500)]);
      clearTimeout(this.killTimer);
      writersGone.resolve();
      if (following) await following;
      else this.spec.onChunk("stdout", log.agentTail(this.spec.stdoutTailBytes ?? 64 * 1024));
      if (consumerError) throw consumerError;
      return {
        exitCode: proc.exitCode,
        signal: proc.signalCode === null ? null : String(proc.signalCode),
        durationMs: Date.now() - this.started,
        outputBytes: log.size(),
        stoppedBy: this.stoppedBy,
      };
    } finally {
      log.close();
    }
  }

  /**
   * Hand the agent's stdout over as it lands in the log. A pass that finds a lot yields between
   * reads, so timers, keys and signals are not held up; once `done` settles (no writer is left) the
   * wait ends at once and a last pass reads to the end.
   */
  private async follow(log: TryLog, done: Promise<void>): Promise<void> {
    let last = false;
    void done.then(() => (last = true));
    let pos = 0;
    const scratch = Buffer.allocUnsafe(FOLLOW_READ_BYTES);
    for (;;) {
      const final = last;
      const end = log.size();
      while (pos < end) {
        const to = Math.min(end, pos + FOLLOW_READ_BYTES);
        for (const piece of log.agentBytes(pos, to, scratch)) this.spec.onChunk("stdout", piece);
        pos = to;
        if (pos < end) await Bun.sleep(0);
      }
      if (final) return;
      await Promise.race([Bun.sleep(FOLLOW_INTERVAL_MS), done]);
    }
  }
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

function launchMessage(bin: string, spec: Pick<AgentSpawnSpec, "cwd" | "env">, err: NodeJS.ErrnoException): string {
  if (err.code === "ENOENT") return missingMessage(bin, spec);
  if (err.code === "E2BIG") return `could not start "${bin}": the prompt is longer than the OS argument limit`;
  if (err.code === "EACCES") return `could not start "${bin}": permission denied: make it executable (chmod +x ${bin})`;
  // The kernel found the file but cannot run it: a script without a #! line, or not a program at all.
  if (err.code === "ENOEXEC") return `could not start "${bin}": not an executable program: add a #!… line or point command at the interpreter`;
  return `could not start "${bin}": ${err.message}`;
}

/**
 * ENOENT has three causes, each with its own fix: a bare name not on PATH, a path that does not
 * exist, or a script whose `#!` interpreter does not exist (the kernel reports that as ENOENT too).
 */
function missingMessage(bin: string, spec: Pick<AgentSpawnSpec, "cwd" | "env">): string {
  const path = bin.includes("/") ? resolve(spec.cwd, bin) : Bun.which(bin, { PATH: spec.env.PATH ?? "", cwd: spec.cwd });
  const interpreter = path ? shebangInterpreter(path) : undefined;
  // An interpreter that exists was not the missing file (`#!/usr/bin/env x` fails later, as env's own error).
  if (interpreter && !existsSync(interpreter)) return `could not start "${bin}": its #! interpreter "${interpreter}" does not exist (install it or fix the #! line)`;
  if (bin.includes("/")) {
    const where = bin.startsWith("/") ? "" : ` in ${spec.cwd}`;
    return `could not start "${bin}": no such file${where} (fix the path in the harness command)`;
  }
  return `could not start "${bin}": command not found (install it or fix PATH)`;
}

/** The program named on a file's `#!` line, or undefined (no such file, or no `#!`). */
function shebangInterpreter(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(256);
    const text = head.subarray(0, readSync(fd, head, 0, 256, 0)).toString("utf8");
    return /^#!\s*(\S+)/.exec(text)?.[1];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
