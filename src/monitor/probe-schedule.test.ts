import { describe, expect, test } from "bun:test";
import { manualClock } from "../sys/clock.ts";
import { createFreezeDetector } from "./freeze.ts";
import { createProbeScheduler, describeProbeOutcome, type ProbeOutcome } from "./probe-schedule.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const WINDOW_MS = 60_000;
const AMBIGUOUS = { ambiguous: true, sessionId: "thread-1" };

function scheduler() {
  const clock = manualClock(T0);
  return { clock, s: createProbeScheduler({ windowMs: WINDOW_MS, clock }) };
}

const alive: ProbeOutcome = { status: "alive", ms: 1200 };
const dead: ProbeOutcome = { status: "dead", why: 'answered "NOPE"', ms: 900 };
const inconclusive: ProbeOutcome = { status: "inconclusive", why: "could not start codex", ms: 3 };

describe("liveness probe scheduling (spec 04 §7, restated)", () => {
  test("probes only on ambiguous ticks", () => {
    const { s } = scheduler();
    expect(s.tick({ ambiguous: false, sessionId: "thread-1" })).toEqual([]);
    expect(s.tick(AMBIGUOUS)).toEqual([{ kind: "start", sessionId: "thread-1" }]);
  });

  test("no session id captured yet: no probe, and no kill", () => {
    const { s, clock } = scheduler();
    for (let i = 0; i < 5; i++) {
      expect(s.tick({ ambiguous: true })).toEqual([]);
      clock.advance(1000);
    }
    expect(s.tick(AMBIGUOUS)).toEqual([{ kind: "start", sessionId: "thread-1" }]);
  });

  test("at most one probe in flight, however long it takes", () => {
    const { s, clock } = scheduler();
    expect(s.tick(AMBIGUOUS)).toHaveLength(1);
    for (let i = 0; i < 120; i++) {
      clock.advance(1000);
      expect(s.tick(AMBIGUOUS)).toEqual([]);
    }
  });

  test("the outcome is acted on at the next tick, then the next probe waits a window after the last one ended", () => {
    const { s, clock } = scheduler();
    s.tick(AMBIGUOUS);
    clock.advance(2000);
    s.settle(alive); // ended at T0+2s
    expect(s.tick(AMBIGUOUS)).toEqual([{ kind: "outcome", outcome: alive }]);
    clock.advance(WINDOW_MS - 1);
    expect(s.tick(AMBIGUOUS)).toEqual([]);
    clock.advance(1);
    expect(s.tick(AMBIGUOUS)).toEqual([{ kind: "start", sessionId: "thread-1" }]);
  });

  test("an outcome is reported even when the tick is no longer ambiguous", () => {
    const { s } = scheduler();
    s.tick(AMBIGUOUS);
    s.settle(alive);
    expect(s.tick({ ambiguous: false })).toEqual([{ kind: "outcome", outcome: alive }]);
    expect(s.tick({ ambiguous: false })).toEqual([]);
  });

  test("inconclusive is reported, never stops the agent, and is spaced like any probe", () => {
    const { s, clock } = scheduler();
    s.tick(AMBIGUOUS);
    s.settle(inconclusive);
    expect(s.tick(AMBIGUOUS)).toEqual([{ kind: "outcome", outcome: inconclusive }]);
    clock.advance(WINDOW_MS);
    expect(s.tick(AMBIGUOUS)).toEqual([{ kind: "start", sessionId: "thread-1" }]);
  });

  test("dead stops the agent exactly once, and nothing follows", () => {
    const { s, clock } = scheduler();
    s.tick(AMBIGUOUS);
    s.settle(dead);
    expect(s.tick(AMBIGUOUS)).toEqual([
      { kind: "outcome", outcome: dead },
      { kind: "stop", reason: 'liveness probe failed: answered "NOPE"' },
    ]);
    clock.advance(10 * WINDOW_MS);
    expect(s.tick(AMBIGUOUS)).toEqual([]);
    s.settle(dead);
    expect(s.tick(AMBIGUOUS)).toEqual([]);
  });

  test("outcomes as the relay log words them", () => {
    expect([alive, dead, inconclusive].map(describeProbeOutcome)).toEqual([
      "alive (1.2s)",
      'dead (answered "NOPE")',
      "inconclusive (could not start codex)",
    ]);
  });

  test("a settle with no probe in flight is ignored", () => {
    const { s } = scheduler();
    s.settle(dead);
    expect(s.tick({ ambiguous: false })).toEqual([]);
  });
});

describe("F9: ambiguity and probe (spec 04 §14.3), detector and scheduler together", () => {
  /** Threshold 180, probe configured (or not); first sample L=5, C=1, D=10, then t=61 with L=5, D=10. */
  function f9(probe: ProbeOutcome | undefined) {
    const clock = manualClock(T0);
    const detector = createFreezeDetector({ thresholdS: 180, mode: "proc" });
    const s = probe ? createProbeScheduler({ windowMs: WINDOW_MS, clock }) : undefined;
    const stops: string[] = [];
    const sample = (t: number) => {
      clock.advance(T0 + t * 1000 - clock.now());
      const verdict = detector.feed({ atMs: clock.now(), log_silent_s: 5, connections: 1, syscall_bytes: t, io_bytes: 10 });
      if (verdict.state === "frozen") stops.push(verdict.reason);
      for (const a of s?.tick({ ambiguous: detector.ambiguous(), sessionId: "thread-1" }) ?? []) {
        if (a.kind === "start") s!.settle(probe!); // the probe ends before the next tick
        if (a.kind === "stop") stops.push(a.reason);
      }
    };
    sample(0);
    sample(61);
    sample(62);
    return { ambiguous: detector.ambiguous(), stops };
  }

  test("probe true → no kill", () => {
    expect(f9(alive)).toEqual({ ambiguous: true, stops: [] });
  });

  test("probe false → kill", () => {
    expect(f9(dead).stops).toEqual(['liveness probe failed: answered "NOPE"']);
  });

  test("probe timeout → kill", () => {
    expect(f9({ status: "dead", why: "no answer within 30s", ms: 30_000 }).stops).toEqual(["liveness probe failed: no answer within 30s"]);
  });

  test("no probe configured → no kill", () => {
    expect(f9(undefined)).toEqual({ ambiguous: true, stops: [] });
  });
});
