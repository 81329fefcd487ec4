import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLock } from "./lock.ts";

// A SIGKILLed rally stays a zombie until its parent reaps it; its lock must still count as stale.
test.skipIf(process.platform !== "linux")("a lock held by a zombie pid is stale and taken over", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rally-lock-"));
  const parent = Bun.spawn(["sh", "-c", "sleep 0 & echo $!; exec sleep 30"], { stdout: "pipe", stderr: "ignore" });
  try {
    const reader = parent.stdout.getReader();
    const pid = Number(new TextDecoder().decode((await reader.read()).value).trim());
    reader.releaseLock();
    const deadline = Date.now() + 5000;
    while (!/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8")) && Date.now() < deadline) await Bun.sleep(20);
    const path = join(dir, "relay.lock");
    writeFileSync(path, `${pid}\n`);
    const lock = acquireLock(path);
    expect(readFileSync(path, "utf8").trim()).toBe(String(process.pid));
    lock.release();
  } finally {
    parent.kill("SIGKILL");
    await parent.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
