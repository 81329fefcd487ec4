import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeProcTree } from "../../tests/support/fake-proc.ts";
import { manualClock, type Clock } from "../sys/clock.ts";
import type { FileStat } from "../sys/files.ts";
import { createProcFs } from "../sys/procfs.ts";
import type { Verdict } from "./freeze.ts";
import { NetstatRow } from "./sample.ts";
import { createSampler, netstatPathFor, startTrySampler, type SamplerOptions } from "./sampler.ts";

const START = "2026-01-01T00:00:00Z";

function setup(opts: Partial<SamplerOptions> = {}) {
  const tree = new FakeProcTree();
  tree.addProcess({ pid: 50, pgid: 50, fds: { 3: "socket:[11]" }, io: { rchar: 100, wchar: 0 } });
  tree.addProcess({ pid: 51, pgid: 50, fds: { 4: "socket:[12]" }, io: { rchar: 0, wchar: 50, write_bytes: 4096 } });
  tree.setTcp([{ inode: 11, st: "01" }, { inode: 12, st: "01" }]);
  const clock = manualClock(START);
  let log: FileStat | undefined = { size: 0, mtimeMs: clock.now() };
  const lines: string[] = [];
  const verdicts: Verdict[] = [];
  const sampler = createSampler(
    { clock, procfs: createProcFs(tree.root), logStat: () => log, appendLine: (l) => lines.push(l) },
    { pgid: 50, thresholdS: 10, connectedWindowS: 20, onVerdict: (v) => verdicts.push(v), ...opts },
  );
  const step = () => {
    clock.advance(1000);
    return sampler.tick();
  };
  const setLog = (v: FileStat | undefined) => {
    log = v;
  };
  return { tree, clock, sampler, lines, verdicts, step, setLog };
}

describe("createSampler", () => {
  test("one whole JSON line per tick, matching the netstat schema", () => {
    const s = setup();
    using _ = s.tree;
    const r = s.step();
    expect(r?.row).toEqual({ ts: "2026-01-01T00:00:01Z", log_silent_s: 1, connections: 2, io_bytes: 4096, syscall_bytes: 150 });
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toEndWith("}\n");
    expect(NetstatRow.parse(JSON.parse(s.lines[0] ?? ""))).toEqual(r!.row);
    expect(Object.keys(JSON.parse(s.lines[0] ?? ""))).toEqual(["ts", "log_silent_s", "connections", "io_bytes", "syscall_bytes"]);
  });

  test("verdict changes are reported once each: active → slowing → frozen (connected), then rows stop", () => {
    const s = setup();
    using _ = s.tree;
    for (let i = 0; i < 40; i++) s.step();
    expect(s.verdicts.map((v) => `${v.state}${v.kind ? `:${v.kind}` : ""}`)).toEqual(["active", "slowing", "frozen:connected"]);
    // First sample at t=1 starts the syscall idle clock, so the 20 s window ends at t=21.
    expect(s.lines).toHaveLength(21);
    expect(s.sampler.tick()).toBeUndefined();
    expect(s.sampler.latest()?.verdict.state).toBe("frozen");
  });

  test("log growth (size or mtime) resets the silence", () => {
    const s = setup();
    using _ = s.tree;
    for (let i = 0; i < 7; i++) s.step();
    expect(s.sampler.latest()?.verdict.state).toBe("slowing");
    s.setLog({ size: 10, mtimeMs: Date.parse(START) }); // grew, mtime too coarse to tell
    expect(s.step()?.row.log_silent_s).toBe(0);
    expect(s.verdicts.at(-1)?.state).toBe("active");
    s.setLog({ size: 10, mtimeMs: s.clock.now() + 500 });
    expect(s.step()?.row.log_silent_s).toBe(1);
  });

  test("classic freeze once the connections drop", () => {
    const s = setup();
    using _ = s.tree;
    s.tree.setTcp([]);
    for (let i = 0; i < 12; i++) s.step();
    expect(s.verdicts.at(-1)).toMatchObject({ state: "frozen", kind: "classic" });
    expect(s.lines).toHaveLength(10);
  });

  test("every tick reaches onTick with its ambiguity: log moving, disk I/O idle for min(60 s, threshold)", () => {
    const ticks: Array<[number, boolean]> = [];
    const s = setup({ onTick: (t) => ticks.push([t.row.log_silent_s, t.ambiguous]) });
    using _ = s.tree;
    for (let i = 0; i < 12; i++) {
      s.setLog({ size: i, mtimeMs: s.clock.now() + 1000 }); // the log grows every tick
      s.step();
    }
    // threshold 10 → window 10 s; write_bytes unchanged since the first sample at t=1
    expect(ticks.map(([, a]) => a)).toEqual([...Array(10).fill(false), true, true]);
    s.tree.setIo(51, { rchar: 0, wchar: 50, write_bytes: 8192 });
    s.step();
    expect(ticks.at(-1)).toEqual([1, false]);
    expect(s.verdicts.map((v) => v.state)).toEqual(["active"]); // the verdicts never see it
  });

  test("a missing log counts silence from the start of sampling", () => {
    const s = setup();
    using _ = s.tree;
    s.setLog(undefined);
    s.step();
    expect(s.step()?.row.log_silent_s).toBe(2);
  });

  test("no pgid yet: no row, no verdict", () => {
    let pgid: number | undefined;
    const s = setup({ pgid: () => pgid });
    using _ = s.tree;
    expect(s.step()).toBeUndefined();
    expect(s.lines).toHaveLength(0);
    pgid = 50;
    expect(s.step()?.row.connections).toBe(2);
  });

  test("a check error skips the tick and is reported", () => {
    const errors: unknown[] = [];
    const clock = manualClock(START);
    const procfs = createProcFs(join(tmpdir(), "rally-no-such-proc"));
    const sampler = createSampler({ clock, procfs, logStat: () => undefined }, { pgid: 1, thresholdS: 5, onError: (e) => errors.push(e) });
    expect(sampler.tick()).toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  test("silence mode (no /proc): zeros and log silence alone", () => {
    const clock = manualClock(START);
    const rows: string[] = [];
    const sampler = createSampler(
      { clock, procfs: undefined, logStat: () => ({ size: 1, mtimeMs: Date.parse(START) }), appendLine: (l) => rows.push(l) },
      { pgid: 9, thresholdS: 3 },
    );
    let r;
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      r = sampler.tick();
    }
    expect(r?.row).toMatchObject({ connections: 0, io_bytes: 0, syscall_bytes: 0, log_silent_s: 3 });
    expect(r?.verdict).toMatchObject({ state: "frozen", kind: "silence" });
  });

  test("run() ticks on the injected clock and stops on abort", async () => {
    const s = setup({ thresholdS: 1000 });
    using _ = s.tree;
    const ac = new AbortController();
    let sleeps = 0;
    const clock: Clock = {
      now: () => s.clock.now(),
      async sleep(ms) {
        s.clock.advance(ms);
        if (++sleeps === 5) ac.abort();
      },
    };
    const sampler = createSampler(
      { clock, procfs: createProcFs(s.tree.root), logStat: () => undefined, appendLine: (l) => s.lines.push(l) },
      { pgid: 50, thresholdS: 1000 },
    );
    await sampler.run(ac.signal);
    expect(s.lines.map((l) => JSON.parse(l).ts)).toEqual(["01", "02", "03", "04"].map((x) => `2026-01-01T00:00:${x}Z`));
  });
});

describe("startTrySampler", () => {
  test("writes the netstat file next to the log and ends on freeze", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rally-sampler-"));
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 70, pgid: 70 });
    try {
      const logPath = join(dir, "try-7.log");
      writeFileSync(logPath, "");
      const clock = manualClock(Date.now());
      const verdicts: Verdict[] = [];
      const s = startTrySampler({ pgid: 70, logPath, thresholdS: 4, clock, procfs: createProcFs(tree.root), onVerdict: (v) => verdicts.push(v) });
      await s.done;
      await s.stop();
      expect(netstatPathFor(logPath)).toBe(join(dir, "try-7.netstat.jsonl"));
      const rows = readFileSync(join(dir, "try-7.netstat.jsonl"), "utf8").trimEnd().split("\n");
      expect(rows.map((l) => NetstatRow.parse(JSON.parse(l)).log_silent_s)).toEqual([1, 2, 3, 4]);
      expect(verdicts.at(-1)).toMatchObject({ state: "frozen", kind: "classic" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an external AbortSignal stops it; no rows after the abort", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rally-sampler-"));
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 70, pgid: 70 });
    try {
      const logPath = join(dir, "try-8.log");
      const ac = new AbortController();
      let sleeps = 0;
      const clock: Clock = {
        now: () => 1_000 * sleeps,
        async sleep() {
          if (++sleeps === 3) ac.abort();
          await Promise.resolve();
        },
      };
      const s = startTrySampler({ pgid: 70, logPath, thresholdS: 100, clock, procfs: createProcFs(tree.root), signal: ac.signal });
      await s.done;
      const rows = readFileSync(join(dir, "try-8.netstat.jsonl"), "utf8").trimEnd().split("\n");
      expect(rows).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("netstat path replaces only a trailing .log", () => {
    expect(netstatPathFor("/d/tries/k/try-12.log")).toBe("/d/tries/k/try-12.netstat.jsonl");
    expect(netstatPathFor("/d/x.log.txt")).toBe("/d/x.log.txt.netstat.jsonl");
  });
});
