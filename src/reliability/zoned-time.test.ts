import { describe, expect, test } from "bun:test";
import { instantOfWallClock, isKnownTimeZone, nextWallClockOccurrence, zoneOffsetAt } from "./zoned-time.ts";

const at = (iso: string) => Date.parse(iso);

describe("nextWallClockOccurrence", () => {
  test.each([
    // [now (UTC), hour, minute, zone, expected instant, why]
    ["2026-11-25T02:43:00Z", 19, 0, "Europe/Istanbul", "2026-11-25T16:00:00Z", "later today, fixed +03"],
    ["2026-11-25T17:00:00Z", 19, 0, "Europe/Istanbul", "2026-11-26T16:00:00Z", "already past today → tomorrow"],
    ["2026-11-25T16:10:00Z", 19, 0, "Europe/Istanbul", "2026-11-25T16:00:00Z", "passed 10 min ago → within grace, stays in the past"],
    ["2026-11-25T16:20:00Z", 19, 0, "Europe/Istanbul", "2026-11-26T16:00:00Z", "passed 20 min ago → tomorrow"],
    ["2026-11-25T02:43:00Z", 19, 0, "Asia/Kolkata", "2026-11-25T13:30:00Z", "half-hour offset"],
    ["2026-11-25T02:43:00Z", 3, 43, "America/Los_Angeles", "2026-11-25T11:43:00Z", "local date is still the 24th"],
    ["2026-11-25T02:43:00Z", 9, 0, "Pacific/Chatham", "2026-11-25T19:15:00Z", "+13:45, local date already the 25th"],
    ["2026-11-25T02:43:00Z", 3, 44, "UTC", "2026-11-25T03:44:00Z", "UTC"],
    // DST: America/New_York springs forward 2026-03-08 02:00 EST → 03:00 EDT.
    ["2026-03-08T05:00:00Z", 2, 30, "America/New_York", "2026-03-08T07:30:00Z", "02:30 does not exist → 03:30 EDT"],
    ["2026-03-08T05:00:00Z", 1, 30, "America/New_York", "2026-03-08T06:30:00Z", "before the gap, EST"],
    ["2026-03-08T05:00:00Z", 9, 0, "America/New_York", "2026-03-08T13:00:00Z", "after the gap, EDT"],
    // DST: falls back 2026-11-01 02:00 EDT → 01:00 EST; 01:30 happens twice.
    ["2026-11-01T04:00:00Z", 1, 30, "America/New_York", "2026-11-01T05:30:00Z", "ambiguous → the earlier (EDT)"],
    ["2026-11-01T04:00:00Z", 15, 0, "America/New_York", "2026-11-01T20:00:00Z", "afternoon after fall-back, EST"],
    // DST: Europe/London springs forward 2026-03-29 01:00 GMT → 02:00 BST.
    ["2026-03-28T23:00:00Z", 1, 30, "Europe/London", "2026-03-29T01:30:00Z", "01:30 does not exist → 02:30 BST"],
    ["2026-03-28T23:00:00Z", 9, 0, "Europe/London", "2026-03-29T08:00:00Z", "BST morning"],
    // Lord Howe shifts by 30 minutes on 2026-10-04 02:00 → 02:30.
    ["2026-10-03T14:00:00Z", 2, 15, "Australia/Lord_Howe", "2026-10-03T15:45:00Z", "inside a 30-minute gap"],
  ])("%s %i:%i %s → %s (%s)", (now, hour, minute, zone, expected) => {
    expect(new Date(nextWallClockOccurrence(at(now), hour, minute, zone)).toISOString()).toBe(new Date(at(expected)).toISOString());
  });
});

describe("zone helpers", () => {
  test("offsets follow DST", () => {
    expect([
      zoneOffsetAt(at("2026-01-15T12:00:00Z"), "Europe/Berlin") / 3_600_000,
      zoneOffsetAt(at("2026-07-15T12:00:00Z"), "Europe/Berlin") / 3_600_000,
      zoneOffsetAt(at("2026-07-15T12:00:00Z"), "Australia/Sydney") / 3_600_000,
    ]).toEqual([1, 2, 10]);
  });
  test("wall clock to instant round-trips outside transitions", () => {
    const wall = { year: 2026, month: 7, day: 1, hour: 12, minute: 0, second: 0 };
    expect(instantOfWallClock(wall, "America/Sao_Paulo")).toBe(at("2026-07-01T15:00:00Z"));
  });
  test("zone names are checked through Intl", () => {
    expect([isKnownTimeZone("Europe/Istanbul"), isKnownTimeZone("UTC"), isKnownTimeZone("Mars/Olympus")]).toEqual([true, true, false]);
  });
});
