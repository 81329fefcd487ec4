import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { spawnGroupProcess } from "./group-process.ts";

// Real processes: the probe's process runs in a group of its own, and killing that group ends
// everything it started.

const env = { PATH: process.env.PATH };
const onLinux = process.platform === "linux";

/** The process state letter from /proc, or undefined once it is gone. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

describe("spawnGroupProcess", () => {
  test("exit code and the tail of stderr", async () => {
    const p = spawnGroupProcess({ argv: ["sh", "-c", "echo starting >&2; echo 'Error: no such thread' >&2; exit 3"], cwd: tmpdir(), env });
    expect(await p.exited).toEqual({ exitCode: 3, signal: null });
    expect(p.stderrTail()).toBe("starting\nError: no such thread\n");
  });

  test("a program that does not exist throws at start", () => {
    expect(() => spawnGroupProcess({ argv: ["rally-no-such-program-xyz"], cwd: tmpdir(), env })).toThrow();
  });

  test.if(onLinux)("its own process group; killGroup ends the children too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rally-group-test-"));
    try {
      const pidFile = join(dir, "child.pid");
      const p = spawnGroupProcess({ argv: ["sh", "-c", `sleep 30 & echo $! > ${pidFile}; wait`], cwd: dir, env });
      const deadline = Date.now() + 5_000;
      while (!existsSync(pidFile) || !readFileSync(pidFile, "utf8").trim()) {
        if (Date.now() > deadline) throw new Error("child never started");
        await Bun.sleep(10);
      }
      const child = Number(readFileSync(pidFile, "utf8"));
      const stat = readFileSync(`/proc/${child}/stat`, "utf8");
      const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      expect(pgid).not.toBe(process.pid);
      expect(pgid).not.toBe(child); // the leader's group, not the child's own
      p.killGroup();
      expect(await p.exited).toEqual({ exitCode: null, signal: "SIGKILL" });
      while (procState(child) !== undefined && procState(child) !== "Z") {
        if (Date.now() > deadline) throw new Error("the group's child survived killGroup");
        await Bun.sleep(10);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
