// A short-lived helper process that must never outlive its budget (the liveness probe): started
// in its own process group (detached, like the agents), stdin and stdout closed, the tail of
// stderr kept for messages, and ended by killing the whole group. Argv only, never a shell.

import { signalGroup } from "./signal-group.ts";

export interface GroupProcessSpec {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface GroupExit {
  exitCode: number | null;
  signal: string | null;
}

export interface GroupProcess {
  /** Resolves when the leader has exited (and stderr has drained, or a short grace has passed). */
  readonly exited: Promise<GroupExit>;
  /** The last bytes the group wrote to stderr so far. */
  stderrTail(): string;
  /** SIGKILL to the whole group; harmless once it is gone. */
  killGroup(): void;
}

/** Starts the process; throws (ENOENT, EACCES, …) when it cannot be started at all. */
export type GroupSpawner = (spec: GroupProcessSpec) => GroupProcess;

const STDERR_TAIL_CHARS = 2048;
const DRAIN_GRACE_MS = 500;

export const spawnGroupProcess: GroupSpawner = (spec) => {
  const proc = Bun.spawn(spec.argv, { cwd: spec.cwd, env: spec.env, stdin: "ignore", stdout: "ignore", stderr: "pipe", detached: true });
  let tail = "";
  const drained = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
        tail = (tail + decoder.decode(chunk, { stream: true })).slice(-STDERR_TAIL_CHARS);
      }
    } catch {
      // cancelled, or the pipe broke: the tail so far is enough
    }
  })();
  const killGroup = () => signalGroup(proc.pid, "SIGKILL");
  const exited = proc.exited.then(async () => {
    // A child left behind may hold the pipe open: do not wait for it.
    await Promise.race([drained, Bun.sleep(DRAIN_GRACE_MS)]);
    return { exitCode: proc.exitCode, signal: proc.signalCode === null ? null : String(proc.signalCode) };
  });
  return { exited, stderrTail: () => tail, killGroup };
};
