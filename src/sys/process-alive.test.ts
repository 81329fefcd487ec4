import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProcFs } from "./procfs.ts";
import { isProcessAlive } from "./process-alive.ts";

/**
 * A real zombie: sh backgrounds `sleep 0`, prints its pid and execs a long sleep, which never
 * reaps it. The zombie's parent is that sleep, so the test runner's own reaping cannot touch it.
 */
async function withZombie(body: (pid: number) => void | Promise<void>): Promise<void> {
  const parent = Bun.spawn(["sh", "-c", "sleep 0 & echo $!; exec sleep 30"], { stdout: "pipe", stderr: "ignore" });
  try {
    const reader = parent.stdout.getReader();
    const { value } = await reader.read();
    reader.releaseLock();
    const pid = Number(new TextDecoder().decode(value).trim());
    const deadline = Date.now() + 5000;
    while (!/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8")) && Date.now() < deadline) await Bun.sleep(20);
    await body(pid);
  } finally {
    parent.kill("SIGKILL");
    await parent.exited;
  }
}

describe("isProcessAlive", () => {
  test("this process is alive; a pid that never existed is not", () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(2 ** 22 + 12345)).toBe(false); // above Linux's pid_max ceiling
  });

  test.skipIf(process.platform !== "linux")("a zombie (exited, not reaped) is not alive", async () => {
    await withZombie((pid) => {
      expect(process.kill(pid, 0)).toBe(true); // kill(pid, 0) alone still sees it
      expect(isProcessAlive(pid)).toBe(false);
    });
  });

  test("the stat state decides, whatever the comm holds; no stat falls back to kill(pid, 0)", () => {
    const root = mkdtempSync(join(tmpdir(), "rally-alive-"));
    try {
      const stat = (state: string) => {
        mkdirSync(join(root, String(process.pid)), { recursive: true });
        writeFileSync(join(root, String(process.pid), "stat"), `${process.pid} (a) Z (b)) ${state} 1 1 1 0 -1\n`);
      };
      const fs = createProcFs(root);
      stat("Z");
      expect(isProcessAlive(process.pid, fs)).toBe(false);
      stat("X");
      expect(isProcessAlive(process.pid, fs)).toBe(false);
      stat("S");
      expect(isProcessAlive(process.pid, fs)).toBe(true);
      rmSync(join(root, String(process.pid)), { recursive: true });
      expect(isProcessAlive(process.pid, fs)).toBe(true);
      expect(isProcessAlive(process.pid, undefined)).toBe(true); // no /proc at all (macOS)
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
