import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { AgentProcess } from "./agent-process.ts";

const dir = mkdtempSync(join(tmpdir(), "rally-agent-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const logPath = () => join(dir, `try-${++n}.log`);

function start(argv: string[], extra: Partial<Parameters<typeof AgentProcess.start>[0]> = {}) {
  const chunks: string[] = [];
  const proc = AgentProcess.start({
    argv, cwd: dir, env: process.env, logPath: logPath(),
    onChunk: (s, c) => chunks.push(`${s}:${new TextDecoder().decode(c)}`),
    ...extra,
  });
  return { proc, chunks };
}

/** Running (not a zombie): a killed orphan stays a zombie until PID 1 reaps it. */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2] !== "Z";
  } catch {
    return false;
  }
};

describe("AgentProcess", () => {
  test("captures stdout and stderr to the log and reports the exit code", async () => {
    const log = logPath();
    const proc = AgentProcess.start({ argv: ["sh", "-c", "echo out; echo err >&2; exit 3"], cwd: dir, env: process.env, logPath: log, onChunk() {} });
    const exit = await proc.exited;
    expect(exit.exitCode).toBe(3);
    expect(readFileSync(log, "utf8").split("\n").sort()).toEqual(["", "err", "out"]);
  });

  test("tail only: the agent writes the log itself; the stdout tail excludes interleaved stderr", async () => {
    const log = logPath();
    const got: string[] = [];
    const exit = await AgentProcess.start({
      argv: ["sh", "-c", "for i in 1 2 3; do echo out$i; echo err$i >&2; sleep 0.05; done"],
      cwd: dir, env: process.env, logPath: log, stdoutTailBytes: 1024,
      onChunk: (s, c) => got.push(`${s}:${new TextDecoder().decode(c)}`),
    }).exited;
    expect(exit.exitCode).toBe(0);
    expect(readFileSync(log, "utf8")).toBe("out1\nerr1\nout2\nerr2\nout3\nerr3\n");
    expect(exit.outputBytes).toBe(30);
    expect(got.filter((g) => g.startsWith("stderr:")).join("")).toBe("stderr:err1\nstderr:err2\nstderr:err3\n");
    expect(got.at(-1)).toBe("stdout:out1\nout2\nout3\n");
  });

  test("following: stdout arrives while the agent runs, byte for byte, with stderr kept apart", async () => {
    const log = logPath();
    let out = "";
    let err = "";
    let firstAt = 0;
    const t0 = Date.now();
    // Interleaved and partial lines on both streams, then a pause: the first line must arrive before the exit.
    const script = "printf 'one\\n'; printf 'e1\\n' >&2; printf 'tw'; printf 'e2' >&2; printf 'o\\n'; sleep 0.6; printf 'three\\n'; printf 'e3\\n' >&2";
    const exit = await AgentProcess.start({
      argv: ["sh", "-c", script], cwd: dir, env: process.env, logPath: log, followStdout: true,
      onChunk(stream, chunk) {
        const text = new TextDecoder().decode(chunk);
        if (stream === "stdout") out += text;
        else err += text;
        if (stream === "stdout" && !firstAt) firstAt = Date.now();
      },
    }).exited;
    expect(out).toBe("one\ntwo\nthree\n");
    expect(err).toBe("e1\ne2e3\n");
    expect(firstAt - t0).toBeLessThan(500);
    expect(exit.durationMs).toBeGreaterThanOrEqual(600);
    expect(readFileSync(log, "utf8").length).toBe(out.length + err.length);
  });

  test("a busy rally never holds the agent up: its stdout is the file, not a pipe", async () => {
    const log = logPath();
    const stamp = join(dir, "agent-done");
    // 32 MiB is far more than a pipe buffers; the agent stamps the moment it has written it all.
    const script = `head -c 33554432 /dev/zero | tr '\\0' 'x'; date +%s%N > ${stamp}`;
    const t0 = Date.now();
    const proc = AgentProcess.start({ argv: ["sh", "-c", script], cwd: dir, env: process.env, logPath: log, followStdout: true, onChunk() {} });
    const busyUntil = Date.now() + 1500;
    while (Date.now() < busyUntil); // rally's thread does nothing else for 1.5 s
    const exit = await proc.exited;
    expect(exit.outputBytes).toBe(33554432);
    const doneAt = Number(readFileSync(stamp, "utf8").trim()) / 1e6;
    expect(doneAt - t0).toBeLessThan(1400);
  });

  test("a missing binary is a launch error written to the log, not a crash", async () => {
    const log = logPath();
    const exit = await AgentProcess.start({ argv: ["rally-no-such-agent"], cwd: dir, env: process.env, logPath: log, onChunk() {} }).exited;
    expect(exit.launchErrorCode).toBe("ENOENT");
    expect(exit.launchError).toContain('could not start "rally-no-such-agent": command not found');
    expect(readFileSync(log, "utf8")).toContain("command not found");
  });

  test("a missing path or #! interpreter is named as such, not as a PATH problem", async () => {
    const start = (argv: string[]) => AgentProcess.start({ argv, cwd: dir, env: process.env, logPath: logPath(), onChunk() {} }).exited;
    const missing = await start(["./agents/gone.sh"]);
    expect(missing.launchErrorCode).toBe("ENOENT");
    expect(missing.launchError).toBe(`could not start "./agents/gone.sh": no such file in ${dir} (fix the path in the harness command)`);
    const badInterpreter = join(dir, "bad-interpreter.sh");
    writeFileSync(badInterpreter, "#!/no/such/interpreter\necho hi\n", { mode: 0o755 });
    const interp = await start([badInterpreter]);
    expect(interp.launchErrorCode).toBe("ENOENT");
    expect(interp.launchError).toBe(`could not start "${badInterpreter}": its #! interpreter "/no/such/interpreter" does not exist (install it or fix the #! line)`);
  });

  test("a file that cannot be executed says why and how to fix it", async () => {
    const noExec = join(dir, "no-exec.sh");
    writeFileSync(noExec, "#!/bin/sh\necho hi\n", { mode: 0o644 });
    const noShebang = join(dir, "no-shebang.sh");
    writeFileSync(noShebang, "echo hi\n", { mode: 0o755 });
    const denied = await AgentProcess.start({ argv: [noExec], cwd: dir, env: process.env, logPath: logPath(), onChunk() {} }).exited;
    expect(denied.launchErrorCode).toBe("EACCES");
    expect(denied.launchError).toBe(`could not start "${noExec}": permission denied: make it executable (chmod +x ${noExec})`);
    const log = logPath();
    const notProgram = await AgentProcess.start({ argv: [noShebang], cwd: dir, env: process.env, logPath: log, onChunk() {} }).exited;
    expect(notProgram.launchErrorCode).toBe("ENOEXEC");
    expect(notProgram.launchError).toBe(`could not start "${noShebang}": not an executable program: add a #!… line or point command at the interpreter`);
    expect(readFileSync(log, "utf8")).toContain("not an executable program");
  });

  test("never overwrites an existing log", async () => {
    const log = logPath();
    writeFileSync(log, "earlier try\n");
    const proc = AgentProcess.start({ argv: ["true"], cwd: dir, env: process.env, logPath: log, onChunk() {} });
    expect(proc.exited).rejects.toThrow(/EEXIST/);
    await proc.exited.catch(() => {});
    expect(readFileSync(log, "utf8")).toBe("earlier try\n");
  });

  test("the prompt goes to stdin when given, else stdin is at EOF", async () => {
    const a = start(["cat"], { stdinText: "hello prompt" });
    await a.proc.exited;
    expect(a.chunks.join("")).toBe("stdout:hello prompt");
    const b = start(["cat"]);
    expect((await b.proc.exited).exitCode).toBe(0);
  });

  test("a background child that keeps the pipe open is killed when the agent exits", async () => {
    const pidFile = join(dir, "bg.pid");
    const { proc } = start(["sh", "-c", `sleep 300 & echo $! > ${pidFile}; echo started`]);
    const exit = await proc.exited;
    expect(exit.exitCode).toBe(0);
    const bg = Number(readFileSync(pidFile, "utf8"));
    await Bun.sleep(100);
    expect(alive(bg)).toBe(false);
  });

  test("stop() sends SIGINT to the whole group; a trapping agent gets SIGKILL after the drain", async () => {
    const { proc } = start(["sh", "-c", "trap '' INT; sleep 300 & wait"]);
    await Bun.sleep(200);
    const t0 = Date.now();
    proc.stop("test");
    const exit = await proc.exited;
    expect(exit.stoppedBy).toBe("test");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4500);
    expect(exit.exitCode === null || exit.signal !== null || exit.exitCode !== 0).toBe(true);
  }, 15_000);

  test("kill() ends the group at once", async () => {
    const { proc } = start(["sh", "-c", "sleep 300"]);
    await Bun.sleep(100);
    const pid = proc.pid!;
    proc.kill("quit");
    const exit = await proc.exited;
    expect(exit.signal).toBe("SIGKILL");
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, `try-${n}.log`))).toBe(true);
  });
});
