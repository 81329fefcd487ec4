// Real idle "agents" for freeze tests and the sampler bench: shell processes in their own process
// group that optionally hold TCP connections to a local server that never writes.
import { spawn, type ChildProcess } from "node:child_process";

export interface SilentServer {
  port: number;
  /** Connections currently accepted. */
  accepted(): number;
  stop(): void;
}

/** A TCP server on 127.0.0.1 that accepts and never writes. */
export function startSilentServer(): SilentServer {
  let open = 0;
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open() {
        open++;
      },
      close() {
        open--;
      },
      data() {},
    },
  });
  return { port: server.port, accepted: () => open, stop: () => server.stop(true) };
}

export interface FakeAgent {
  /** pid = pgid (spawned as a new session/group leader). */
  pid: number;
  child: ChildProcess;
  kill(): void;
}

/**
 * `sh` (the group leader, holding no socket) starts a bash child that opens `sockets` connections
 * with bash's /dev/tcp and then execs `sleep`: after start-up, no process in the group makes a
 * single read or write syscall. Like codex and gemini, the sockets live in a child, not the leader.
 */
export function spawnIdleAgent(opts: { port?: number; sockets?: number; seconds?: number } = {}): FakeAgent {
  const n = opts.port === undefined ? 0 : (opts.sockets ?? 1);
  const opens = Array.from({ length: n }, (_, i) => `exec ${i + 3}<>/dev/tcp/127.0.0.1/${opts.port}`).join("; ");
  const inner = `${opens}${opens ? "; " : ""}exec sleep ${opts.seconds ?? 600}`;
  const script = `bash -c '${inner}' & wait`;
  const child = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  if (child.pid === undefined) throw new Error("fake agent failed to start");
  const pid = child.pid;
  return {
    pid,
    child,
    kill() {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

export function hasBash(): boolean {
  return Bun.which("bash") !== null && process.platform === "linux";
}
