import { describe, expect, test } from "bun:test";
import {
  benchUntil,
  formatResetIn,
  parseAbsoluteReset,
  parseClockReset,
  parseDatedClockReset,
  parseDurationSpan,
  parseResetJsonFields,
  parseResetTime,
  parseRetryAfter,
  parseSpanReset,
  parseUnitCount,
  USAGE_LIMIT_DEFAULT_BENCH_MS,
} from "./reset-time.ts";

const NOW = Date.parse("2026-11-25T02:43:00Z");
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("parseDurationSpan", () => {
  test.each([
    ["3h 24m", 3 * H + 24 * M],
    ["96h", 96 * H],
    ["2 hours 30 minutes", 2 * H + 30 * M],
    ["2 hours and 5 minutes", 2 * H + 5 * M],
    ["7d", 168 * H],
    ["1.5d", 36 * H],
    ["1d12h", 36 * H], // 0.10 read this as 24 h (spec 04 §12.19)
    ["5h30m", 5.5 * H],
    ["4 days", 96 * H],
    ["30 minutes", 30 * M],
    ["41.5s", 41.5 * S],
    ["1 hr", H],
    ["abc", undefined],
    ["0h", undefined],
  ])("%s", (text, ms) => expect(parseDurationSpan(text)).toBe(ms));
});

describe("parseSpanReset", () => {
  test.each([
    ["Five-hour limit reached · resets in 3h 24m", 3 * H + 24 * M],
    ["resets in 96h", 96 * H],
    ["Resets in 7d.", 168 * H],
    ["Resets in 7 days", 168 * H], // 0.10 gave 0 (spec 04 §2.7)
    ["resets 4h", 4 * H],
    ["try again in 2 hours 30 minutes", 2 * H + 30 * M],
    ["Please retry in 41.5s.", undefined], // a retry hint, not a reset
    ["wait 5 minutes", undefined],
    ["resets at 14:30", undefined],
  ])("%s", (text, ms) => expect(parseSpanReset(text)?.afterMs).toBe(ms));
});

describe("parseClockReset", () => {
  test.each([
    ["You've hit your limit · resets 7pm (Europe/Istanbul)", "UTC", "2026-11-25T16:00:00.000Z"],
    ["You've hit your session limit · resets 3:44am (UTC)", "Europe/Istanbul", "2026-11-25T03:44:00.000Z"],
    ["resets 6:44am (Europe/Istanbul)", "UTC", "2026-11-25T03:44:00.000Z"],
    ["You've hit your limit · resets 1pm (Asia/Seoul)", "UTC", "2026-11-25T04:00:00.000Z"],
    ["rate_limit: usage limit reached · resets at 14:30", "Asia/Tokyo", "2026-11-25T05:30:00.000Z"],
    ["five-hour limit · resets at 2:30 PM", "UTC", "2026-11-25T14:30:00.000Z"],
    ["try again at 3:43 AM.", "UTC", "2026-11-25T03:43:00.000Z"],
    ["Try again at 11:30 PM.", "America/New_York", "2026-11-25T04:30:00.000Z"], // 21:43 local now
    ["try again at 3:43 am", "UTC", "2026-11-25T03:43:00.000Z"], // lowercase parses (0.10 did not)
    ["resets 12am (UTC)", "UTC", "2026-11-26T00:00:00.000Z"],
    ["resets 12pm (UTC)", "UTC", "2026-11-25T12:00:00.000Z"],
    ["resets 7pm (Mars/Olympus)", "Europe/Istanbul", "2026-11-25T16:00:00.000Z"], // unknown zone → local
    ["resets 4 days", "UTC", undefined],
    ["resets 4h", "UTC", undefined],
    ["resets 25:00", "UTC", undefined],
    ["resets 13pm", "UTC", undefined],
    ["resets at 14:60", "UTC", undefined],
    ["resets in 3h", "UTC", undefined],
  ])("%s [%s]", (text, zone, expected) => expect(iso(parseClockReset(text, NOW, zone)?.at)).toBe(expected));
});

describe("parseDatedClockReset", () => {
  test.each([
    ["You've hit your weekly limit · resets Nov 28, 7pm (Europe/Istanbul)", "UTC", "2026-11-28T16:00:00.000Z"],
    ["resets Dec 1 at 10:00", "Asia/Tokyo", "2026-12-01T01:00:00.000Z"],
    ["resets January 3rd, 9am (America/New_York)", "UTC", "2027-01-03T14:00:00.000Z"],
    ["resets Nov 20, 7pm (UTC)", "UTC", "2027-11-20T19:00:00.000Z"], // already passed → next year
    ["resets 7pm (UTC)", "UTC", undefined],
  ])("%s [%s]", (text, zone, expected) => expect(iso(parseDatedClockReset(text, NOW, zone)?.at)).toBe(expected));
});

describe("parseAbsoluteReset", () => {
  test.each([
    ["Your limit will reset at 2026-06-16 18:29:51", "Europe/Istanbul", "2026-06-16T15:29:51.000Z"],
    ["Your limit will reset at 2026-06-16 18:29:51", "UTC", "2026-06-16T18:29:51.000Z"],
    ["reset at 2026-06-16T18:29:51Z", "Asia/Tokyo", "2026-06-16T18:29:51.000Z"],
    ["resets at 2026-06-16 18:29 +02:00", "UTC", "2026-06-16T16:29:00.000Z"],
    ["reset  at   2026-06-16   18:29:51", "UTC", "2026-06-16T18:29:51.000Z"],
    ["created at 2026-06-16 18:29:51", "UTC", undefined],
  ])("%s [%s]", (text, zone, expected) => expect(iso(parseAbsoluteReset(text, zone)?.at)).toBe(expected));
});

describe("retry-after and provider fields", () => {
  test.each([
    ["retry-after: 120", 120 * S],
    ["Retry-After 30", 30 * S],
    ["Rate limit exceeded. Retry after 120 seconds.", 120 * S],
    ["Please retry in 41.5s.", 41.5 * S],
    [`"retryDelay":"41s"`, 41 * S],
    ["retry in 250ms", 250],
    ["no retry hint here", undefined],
  ])("parseRetryAfter %s", (text, ms) => expect(parseRetryAfter(text)).toBe(ms));

  test("resets_in_seconds and resets_at from a provider body", () => {
    expect([
      parseResetJsonFields(`{"type":"usage_limit_reached","resets_in_seconds":3600}`)?.afterMs,
      iso(parseResetJsonFields(`{"resets_at":1795578260}`)?.at),
    ]).toEqual([H, "2026-11-25T03:44:20.000Z"]);
  });

  test("opencode unit counts anywhere in the text", () => {
    expect([
      parseUnitCount("Usage limit reached for 5 hour")?.afterMs,
      parseUnitCount("Failed after 3 attempts. Resets in 4 days")?.afterMs,
      parseUnitCount("no units"),
    ]).toEqual([5 * H, 96 * H, undefined]);
  });
});

describe("parseResetTime picks the most specific wording", () => {
  test.each([
    ["reset at 2026-06-16 18:29:51 (in 5 hours)", "2026-06-16T18:29:51.000Z", undefined],
    ["resets 7pm (Europe/Istanbul), in about 16h", "2026-11-25T16:00:00.000Z", undefined],
    ["Resets in 24h.", undefined, 24 * H],
    [`{"resets_in_seconds":60}`, undefined, M],
    ["nothing to see", undefined, undefined],
  ])("%s", (text, at, afterMs) => {
    const hint = parseResetTime(text, NOW, "UTC");
    expect([iso(hint?.at), hint?.afterMs]).toEqual([at, afterMs]);
  });
});

describe("bench deadline and display", () => {
  test("no parsed reset benches for 5 h; a parsed one is used as-is, even in the past", () => {
    expect([benchUntil(undefined, NOW) - NOW, benchUntil(NOW + 2 * H, NOW) - NOW, benchUntil(NOW - M, NOW) - NOW]).toEqual([
      USAGE_LIMIT_DEFAULT_BENCH_MS,
      2 * H,
      -M,
    ]);
  });
  test.each([
    [96 * H, "96h0m"],
    [3 * H + 24 * M + 59 * S, "3h24m"],
    [59 * M + 59 * S, "59m"],
    [-5 * M, "0m"],
  ])("formatResetIn %d → %s", (ms, text) => expect(formatResetIn(ms)).toBe(text));
});
