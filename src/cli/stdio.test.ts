import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { isTerminal, writeFd } from "./stdio.ts";

const dir = mkdtempSync(join(tmpdir(), "rally-stdio-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DATA = Buffer.alloc(3 * 1024 * 1024, "rally stdio test line\n");

describe("writeFd", () => {
  test("a full non-blocking pipe is waited out: every byte arrives, in order", async () => {
    const fifo = join(dir, "fifo");
    const out = join(dir, "fifo-out");
    Bun.spawnSync(["mkfifo", fifo]);
    // O_RDWR never blocks on open; O_NONBLOCK makes a write to the full pipe fail with EAGAIN.
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    // The reader starts late, so the 64 KiB pipe is full long before it drains.
    const reader = Bun.spawn(["sh", "-c", 'sleep 0.3; exec cat "$0" > "$1"', fifo, out]);
    writeFd(fd, DATA);
    closeSync(fd); // the last writer gone: cat sees the end
    expect(await reader.exited).toBe(0);
    expect(statSync(out).size).toBe(DATA.length);
    expect(readFileSync(out).equals(DATA)).toBe(true);
  });

  test("a reader that went away ends the output quietly, and later writes are dropped", () => {
    // `… | head -c 1`: head exits after one byte; the rest of the 4 MiB meets a closed pipe.
    const script = join(dir, "epipe.ts");
    writeFileSync(script, `import { writeFd } from ${JSON.stringify(join(import.meta.dir, "stdio.ts"))};
writeFd(1, Buffer.alloc(4 << 20, 120));
writeFd(1, "after\\n");
writeFd(2, "still running\\n");
`);
    const r = Bun.spawnSync(["bash", "-c", 'set -o pipefail; "$0" "$1" | head -c 1 >/dev/null', process.execPath, script], { stderr: "pipe" });
    expect({ code: r.exitCode, stderr: r.stderr.toString() }).toEqual({ code: 0, stderr: "still running\n" });
  });
});

describe("isTerminal", () => {
  test("a file, a pipe and /dev/null are not terminals", () => {
    const file = openSync(join(dir, "plain-file"), "w");
    const devNull = openSync("/dev/null", "r");
    try {
      expect(isTerminal(file)).toBe(false);
      expect(isTerminal(devNull)).toBe(false);
    } finally {
      closeSync(file);
      closeSync(devNull);
    }
    const script = join(dir, "is-terminal.ts");
    writeFileSync(script, `import { isTerminal } from ${JSON.stringify(join(import.meta.dir, "stdio.ts"))};\nconsole.error(String(isTerminal(1)));\n`);
    const viaPipe = Bun.spawnSync([process.execPath, script], { stdout: "pipe", stderr: "pipe" });
    expect(viaPipe.stderr.toString()).toBe("false\n");
  });

  test("a closed descriptor is not a terminal", () => {
    expect(isTerminal(987)).toBe(false);
  });
});
