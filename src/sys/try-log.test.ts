import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { TryLog } from "./try-log.ts";

const dir = mkdtempSync(join(tmpdir(), "rally-try-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const path = () => join(dir, `try-${++n}.log`);
const text = (pieces: Uint8Array[]) => Buffer.concat(pieces).toString();

describe("TryLog", () => {
  test("never overwrites an existing log", () => {
    const p = path();
    writeFileSync(p, "earlier try\n");
    expect(() => TryLog.create(p)).toThrow(/EEXIST/);
    expect(readFileSync(p, "utf8")).toBe("earlier try\n");
  });

  test("the agent's bytes read back with rally's appends cut out, over any window", () => {
    const p = path();
    const log = TryLog.create(p);
    const agent = (s: string) => writeFileSync(p, s, { flag: "a" }); // another writer of the same file
    agent("out-1\n");
    log.append("err-1\n");
    agent("out-2 part");
    log.append("err-2\n");
    agent(" rest\n");
    expect(readFileSync(p, "utf8")).toBe("out-1\nerr-1\nout-2 parterr-2\n rest\n");
    const size = log.size();
    expect(text(log.agentBytes(0, size))).toBe("out-1\nout-2 part rest\n");
    // Windows that start or end inside one of rally's appends.
    expect(text(log.agentBytes(8, 20))).toBe("out-2 pa");
    expect(text(log.agentBytes(3, size - 3))).toBe("-1\nout-2 part re");
    expect(Buffer.from(log.agentTail(7)).toString()).toBe("t rest\n");
    expect(Buffer.from(log.agentTail(1000)).toString()).toBe("out-1\nout-2 part rest\n");
    log.close();
  });

  test("rally's appends racing a busy agent are still told apart, byte for byte", async () => {
    const p = path();
    const log = TryLog.create(p);
    // The agent appends 20,000 numbered lines through the same open file while rally appends its own.
    const proc = Bun.spawn(["sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo \"agent $i\"; i=$((i+1)); done"], { stdout: log.fd });
    const mine: string[] = [];
    for (let i = 0; proc.exitCode === null; i++) {
      const line = `rally ${i}\n`;
      log.append(line);
      mine.push(line);
      if (i % 50 === 0) await Bun.sleep(0);
    }
    await proc.exited;
    const expected = Array.from({ length: 20000 }, (_, i) => `agent ${i}\n`).join("");
    expect(text(log.agentBytes(0, log.size()))).toBe(expected);
    expect(readFileSync(p, "utf8").length).toBe(expected.length + mine.join("").length);
    expect(mine.length).toBeGreaterThan(10);
    log.close();
  });
});
