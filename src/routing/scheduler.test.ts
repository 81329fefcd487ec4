import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Quota } from "./entry.ts";
import { createScheduler, failEntry, nextEntry, type SchedulerState } from "./scheduler.ts";

const q = (min: number, max = min): Quota => ({ min, max });

function picks(s: SchedulerState, n: number): (number | string)[] {
  return Array.from({ length: n }, () => {
    const p = nextEntry(s);
    return p.kind === "entry" ? p.index : p.kind;
  });
}

describe("scheduler state machine (spec 02 §6)", () => {
  test("no entries → empty", () => {
    expect(nextEntry(createScheduler([])).kind).toBe("empty");
  });

  test("an entry without quota stays while it succeeds", () => {
    expect(picks(createScheduler([undefined, q(1)]), 4)).toEqual([0, 0, 0, 0]);
  });

  test(":N runs N in a row, then rotates and wraps", () => {
    expect(picks(createScheduler([q(1), q(3), undefined]), 7)).toEqual([0, 1, 1, 1, 2, 2, 2]);
    expect(picks(createScheduler([q(2), q(1)]), 6)).toEqual([0, 0, 1, 0, 0, 1]);
  });

  test("case 26: a lone :2 entry wraps onto itself and restarts its count", () => {
    const s = createScheduler([q(2)]);
    expect(picks(s, 3)).toEqual([0, 0, 0]);
    expect(s.slots[0]!.runs).toBe(1);
    expect(s.cycle).toBe(1);
  });

  test("case 27: with b benched, a wraps onto itself", () => {
    const s = createScheduler([q(1), q(1)]);
    failEntry(s, 1, true);
    expect(picks(s, 4)).toEqual([0, 0, 0, 0]);
  });

  test("a failure skips to the next entry; a wrap forgives it but keeps benches", () => {
    const s = createScheduler([q(1), q(1), q(1)]);
    expect(picks(s, 1)).toEqual([0]);
    failEntry(s, 0, false);
    failEntry(s, 2, true);
    expect(picks(s, 3)).toEqual([1, 0, 1]);
  });

  test(":N-M extends toward M only while nothing else is selectable, then force-waits", () => {
    const s = createScheduler([q(1), q(2, 4)]);
    expect(picks(s, 4)).toEqual([0, 1, 1, 0]);
    failEntry(s, 0, true);
    expect(picks(s, 5)).toEqual([1, 1, 1, 1, "exhausted"]);
  });

  test("every entry failed in the same pass → exhausted", () => {
    const s = createScheduler([undefined, undefined]);
    picks(s, 1);
    failEntry(s, 0, false);
    expect(picks(s, 1)).toEqual([1]);
    failEntry(s, 1, false);
    expect(picks(s, 1)).toEqual(["exhausted"]);
  });
});

describe("scheduler properties", () => {
  test("all-:1 lanes are round robin: one of each, in order, then wrap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 30 }), (n, runs) => {
        const s = createScheduler(Array.from({ length: n }, () => q(1)));
        expect(picks(s, runs)).toEqual(Array.from({ length: runs }, (_, i) => i % n));
      }),
    );
  });

  test("with no failures, each :N entry runs exactly N times per cycle", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }), (ns) => {
        const s = createScheduler(ns.map((n) => q(n)));
        const total = ns.reduce((a, b) => a + b, 0);
        const expected = ns.flatMap((n, i) => Array<number>(n).fill(i));
        expect(picks(s, total * 2)).toEqual([...expected, ...expected]);
      }),
    );
  });
});
