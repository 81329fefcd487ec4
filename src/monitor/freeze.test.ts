import { describe, expect, test } from "bun:test";
import { createFreezeDetector, type FreezeOptions, type FreezeSample, type Verdict } from "./freeze.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");

/** Feeds one sample per second for t = 0..until; `at(t)` gives the sample fields. */
function run(
  opts: FreezeOptions,
  until: number,
  at: (t: number) => Omit<FreezeSample, "atMs">,
): { verdicts: Verdict[]; firstFrozen?: number } {
  const d = createFreezeDetector(opts);
  const verdicts: Verdict[] = [];
  let firstFrozen: number | undefined;
  for (let t = 0; t <= until; t++) {
    const v = d.feed({ atMs: T0 + t * 1000, ...at(t) });
    verdicts.push(v);
    if (v.state === "frozen" && firstFrozen === undefined) firstFrozen = t;
  }
  return { verdicts, firstFrozen };
}

const proc = (thresholdS: number): FreezeOptions => ({ thresholdS, mode: "proc" });

describe("freeze verdicts (spec 04 §14.3)", () => {
  test("F1 classic: frozen once silent ≥ threshold with no connections", () => {
    const r = run(proc(60), 70, (t) => ({
      log_silent_s: t,
      connections: t <= 40 ? 2 : 0,
      syscall_bytes: Math.min(t, 40) * 100,
      io_bytes: 0,
    }));
    expect(r.verdicts[59]?.state).toBe("slowing");
    expect(r.firstFrozen).toBe(60);
    expect(r.verdicts[60]).toMatchObject({ state: "frozen", kind: "classic" });
    expect(r.verdicts[60]?.reason).toContain("no TCP connections");
  });

  test("F2 connected: frozen when connected and syscall-idle for the window", () => {
    const r = run(proc(60), 310, (t) => ({ log_silent_s: t, connections: 2, syscall_bytes: 1000, io_bytes: 0 }));
    expect(r.verdicts[299]?.state).toBe("slowing");
    expect(r.firstFrozen).toBe(300);
    expect(r.verdicts[300]).toMatchObject({ state: "frozen", kind: "connected" });
  });

  test("F3/F4 any syscall change, up or down, restarts the idle window", () => {
    for (const changed of [1500, 900]) {
      const r = run(proc(60), 510, (t) => ({
        log_silent_s: t,
        connections: 2,
        syscall_bytes: t >= 200 ? changed : 1000,
        io_bytes: 0,
      }));
      expect(r.firstFrozen).toBe(500);
    }
  });

  test("F5 default threshold 900: idle 300 s is not enough while the log is younger", () => {
    const r = run(proc(900), 900, (t) => ({ log_silent_s: t, connections: 1, syscall_bytes: 7, io_bytes: 0 }));
    expect(r.verdicts[300]?.state).toBe("active");
    expect(r.verdicts[540]?.state).toBe("slowing");
    expect(r.firstFrozen).toBe(900);
  });

  test("F6 log activity keeps it active, whatever disk I/O does", () => {
    const r = run(proc(60), 400, (t) => ({ log_silent_s: t % 31, connections: 0, syscall_bytes: 0, io_bytes: 0 }));
    expect(r.firstFrozen).toBeUndefined();
  });

  test("F7 connected with syscall traffic never freezes", () => {
    const r = run(proc(60), 400, (t) => ({ log_silent_s: 4000, connections: 1, syscall_bytes: t * 10, io_bytes: 0 }));
    expect(r.firstFrozen).toBeUndefined();
    expect(r.verdicts.at(-1)?.state).toBe("slowing");
  });

  test("configurable connected window", () => {
    const r = run({ ...proc(5), connectedWindowS: 8 }, 20, (t) => ({
      log_silent_s: t,
      connections: 3,
      syscall_bytes: 5,
      io_bytes: 0,
    }));
    expect(r.firstFrozen).toBe(8);
  });

  test("a syscall noise floor lets a slowly ticking idle agent count as idle", () => {
    const at = (t: number) => ({ log_silent_s: t, connections: 1, syscall_bytes: 1000 + 36 * t, io_bytes: 0 });
    expect(run(proc(5), 30, at).firstFrozen).toBeUndefined();
    expect(run({ ...proc(5), connectedWindowS: 10, syscallNoiseBytesPerS: 256 }, 30, at).firstFrozen).toBe(10);
    const burst = (t: number) => ({ ...at(t), syscall_bytes: t === 8 ? 50_000 : 1000 });
    expect(run({ ...proc(5), connectedWindowS: 10, syscallNoiseBytesPerS: 256 }, 30, burst).firstFrozen).toBe(19);
  });

  test("F8 non-Linux: log silence alone, connections ignored", () => {
    const r = run({ thresholdS: 90, mode: "silence" }, 120, (t) => ({ log_silent_s: t, connections: 0, syscall_bytes: t, io_bytes: 0 }));
    expect(r.firstFrozen).toBe(90);
    expect(r.verdicts[90]).toMatchObject({ state: "frozen", kind: "silence" });
  });

  test("F12 slowing at 60% of the threshold", () => {
    const r60 = run(proc(60), 40, (t) => ({ log_silent_s: t, connections: 1, syscall_bytes: t, io_bytes: 0 }));
    expect(r60.verdicts[35]?.state).toBe("active");
    expect(r60.verdicts[36]?.state).toBe("slowing");
    const r900 = run(proc(900), 541, (t) => ({ log_silent_s: t, connections: 1, syscall_bytes: t, io_bytes: 0 }));
    expect(r900.verdicts[539]?.state).toBe("active");
    expect(r900.verdicts[540]?.state).toBe("slowing");
  });

  test("slowing goes back to active when the log grows again", () => {
    const r = run(proc(10), 12, (t) => ({ log_silent_s: t < 8 ? t : 0, connections: 1, syscall_bytes: t, io_bytes: 0 }));
    expect(r.verdicts.map((v) => v.state).slice(5, 9)).toEqual(["active", "slowing", "slowing", "active"]);
  });

  test("frozen is sticky", () => {
    const d = createFreezeDetector(proc(5));
    const frozen = d.feed({ atMs: T0, log_silent_s: 5, connections: 0, syscall_bytes: 0, io_bytes: 0 });
    expect(frozen.state).toBe("frozen");
    expect(d.feed({ atMs: T0 + 1000, log_silent_s: 0, connections: 0, syscall_bytes: 9, io_bytes: 0 })).toBe(frozen);
  });

  test("threshold ≤ 0 disables detection", () => {
    const r = run(proc(0), 100, (t) => ({ log_silent_s: t, connections: 0, syscall_bytes: 0, io_bytes: 0 }));
    expect(r.verdicts.every((v) => v.state === "active")).toBe(true);
  });
});

describe("network warnings (spec 06 §3.4)", () => {
  test("No TCP after 30 s without connections; No I/O after 30 s without syscall growth", () => {
    const d = createFreezeDetector(proc(900));
    const at = (t: number, connections: number, syscall_bytes: number) => {
      d.feed({ atMs: T0 + t * 1000, log_silent_s: 0, connections, syscall_bytes, io_bytes: 0 });
      return d.netWarning();
    };
    expect(at(0, 0, 0)).toBeUndefined();
    expect(at(29, 0, 0)).toBeUndefined();
    expect(at(30, 0, 0)).toBe("No TCP… (30s)");
    expect(at(31, 1, 10)).toBeUndefined();
    expect(at(60, 1, 5)).toBeUndefined(); // a drop is not growth …
    expect(at(61, 1, 5)).toBe("No I/O… (30s)"); // … so 30 s after the last growth at t=31
    expect(at(62, 1, 11)).toBeUndefined();
  });

  test("never in silence mode", () => {
    const d = createFreezeDetector({ thresholdS: 900, mode: "silence" });
    d.feed({ atMs: T0, log_silent_s: 0, connections: 0, syscall_bytes: 0, io_bytes: 0 });
    d.feed({ atMs: T0 + 60_000, log_silent_s: 0, connections: 0, syscall_bytes: 0, io_bytes: 0 });
    expect(d.netWarning()).toBeUndefined();
  });
});

describe("ambiguity: log moving, disk I/O idle (spec 04 §6.3, §14.3 F9)", () => {
  /** Feeds the samples (t in seconds since the first one) and returns ambiguous() after each. */
  function ambiguity(opts: FreezeOptions, samples: Array<[t: number, L: number, D: number]>) {
    const d = createFreezeDetector(opts);
    return samples.map(([t, L, D]) => {
      const verdict = d.feed({ atMs: T0 + t * 1000, log_silent_s: L, connections: 1, syscall_bytes: t, io_bytes: D });
      return { t, ambiguous: d.ambiguous(), state: verdict.state };
    });
  }

  const cases: Array<[string, FreezeOptions, Array<[number, number, number]>, boolean[]]> = [
    ["F9: threshold 180, D unchanged since the first sample → ambiguous from t=60 (window 60)", proc(180),
      [[0, 5, 10], [59, 5, 10], [60, 5, 10], [61, 5, 10]], [false, false, true, true]],
    ["a disk-I/O change, up or down, restarts the idle clock", proc(180),
      [[0, 5, 10], [30, 5, 20], [89, 5, 20], [90, 5, 20], [100, 5, 15], [159, 5, 15], [160, 5, 15]], [false, false, false, true, false, false, true]],
    ["log silent for the window or longer is not ambiguous (the freeze verdicts decide)", proc(180),
      [[0, 5, 10], [61, 59, 10], [62, 60, 10], [63, 0, 10]], [false, true, false, true]],
    ["window = min(60 s, threshold): threshold 5 → ambiguous after 5 s of idle disk I/O", proc(5),
      [[0, 0, 7], [4, 1, 7], [5, 1, 7], [6, 4, 7], [7, 5, 7]], [false, false, true, true, false]],
    ["an explicit window", { ...proc(900), ambiguityWindowS: 10 },
      [[0, 0, 1], [9, 0, 1], [10, 9, 1], [11, 10, 1]], [false, false, true, false]],
    ["never in silence mode (no /proc)", { thresholdS: 180, mode: "silence" },
      [[0, 5, 10], [61, 5, 10], [200, 5, 10]], [false, false, false]],
    ["never with detection off", proc(0), [[0, 5, 10], [61, 5, 10]], [false, false]],
  ];
  for (const [name, opts, samples, expected] of cases) {
    test(name, () => {
      expect(ambiguity(opts, samples).map((r) => r.ambiguous)).toEqual(expected);
    });
  }

  test("the agent's own log writes are not disk work: only I/O beyond the log's growth restarts the clock", () => {
    const d = createFreezeDetector(proc(5));
    const feed = (t: number, io: number, log: number) => {
      d.feed({ atMs: T0 + t * 1000, log_silent_s: 0, connections: 1, syscall_bytes: t, io_bytes: io, log_bytes: log });
      return d.ambiguous();
    };
    // The log grows 3 KiB a second and the group is charged a page now and then for it.
    expect([0, 1, 2, 3, 4, 5, 6].map((t) => feed(t, 4096 * Math.floor((t * 3072) / 4096), t * 3072))).toEqual([false, false, false, false, false, true, true]);
    // 1 MiB written elsewhere while the log grew by 3 KiB: real disk work, the idle clock restarts.
    expect(feed(7, 4096 * 6 + 1024 * 1024, 7 * 3072)).toBe(false);
    expect(feed(11, 4096 * 6 + 1024 * 1024, 11 * 3072)).toBe(false);
    expect(feed(12, 4096 * 6 + 1024 * 1024, 12 * 3072)).toBe(true);
  });

  test("ambiguity leaves the verdicts alone: F9 at t=61 is still active", () => {
    const r = ambiguity(proc(180), [[0, 5, 10], [61, 5, 10]]);
    expect(r[1]).toEqual({ t: 61, ambiguous: true, state: "active" });
  });

  test("a frozen detector is not ambiguous", () => {
    const d = createFreezeDetector(proc(5));
    d.feed({ atMs: T0, log_silent_s: 0, connections: 0, syscall_bytes: 0, io_bytes: 1 });
    d.feed({ atMs: T0 + 5000, log_silent_s: 5, connections: 0, syscall_bytes: 0, io_bytes: 1 });
    expect(d.ambiguous()).toBe(false);
  });
});
