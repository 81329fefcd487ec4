import { instantOfWallClock, isKnownTimeZone, nextWallClockOccurrence, wallClockAt } from "./zoned-time.ts";

// Parsers for every reset wording the agent CLIs print (spec 04 §2.7, spec 07b §3).
// All pure: the caller passes `now` and the zone the agent process ran in. There is no
// upper cap on a reset: a weekly limit really is 168 h away.

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A usage limit whose reset could not be read benches its quota scope this long. */
export const USAGE_LIMIT_DEFAULT_BENCH_MS = 5 * HOUR_MS;
/** A short rate limit with no retry-after waits this long before the retry. */
export const SHORT_RATE_LIMIT_DEFAULT_MS = 60 * SECOND_MS;
/** An overloaded provider with no retry-after waits this long (claude 529, opencode 503). */
export const PROVIDER_OVERLOADED_DEFAULT_MS = 30 * SECOND_MS;

/** What a reset wording said: an instant, a span from now, or both (claude "5-hour · at 2pm"). */
export interface ResetHint {
  /** Absolute reset instant, epoch ms. */
  at?: number;
  /** Time until the reset, ms. */
  afterMs?: number;
  /** Which wording produced it, for diagnostics. */
  wording: string;
}

const UNIT_MS: ReadonlyArray<[RegExp, number]> = [
  [/^d(ays?)?$/, DAY_MS],
  [/^(h|hrs?|hours?)$/, HOUR_MS],
  [/^(m|mins?|minutes?)$/, MINUTE_MS],
  [/^(s|secs?|seconds?)$/, SECOND_MS],
];
const UNIT = "days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s";
const SPAN_PART = `(\\d+(?:\\.\\d+)?)\\s*(${UNIT})(?![a-z])`;
const SPAN = `${SPAN_PART}(?:\\s*(?:,|and)?\\s*${SPAN_PART})*`;

function unitMs(unit: string): number {
  return UNIT_MS.find(([re]) => re.test(unit.toLowerCase()))?.[1] ?? 0;
}

/** "3h 24m", "96h", "2 hours 30 minutes", "1.5d", "1d12h" (36 h), "41.5s" → ms. */
export function parseDurationSpan(text: string): number | undefined {
  const whole = new RegExp(`^\\s*${SPAN}`, "i").exec(text);
  if (!whole) return undefined;
  let total = 0;
  for (const m of whole[0].matchAll(new RegExp(SPAN_PART, "gi"))) {
    total += Number(m[1]) * unitMs(m[2] ?? "");
  }
  return total > 0 ? Math.round(total) : undefined;
}

const SPAN_AFTER_KEYWORD = new RegExp(
  `\\b(?:resets?|try again|available again)\\s+(?:in\\s+|after\\s+)?(${SPAN})`,
  "i",
);

/** "resets in 3h 24m", "Resets in 7d.", "resets 4h", "try again in 2 hours 30 minutes". */
export function parseSpanReset(text: string): ResetHint | undefined {
  const m = SPAN_AFTER_KEYWORD.exec(text);
  const afterMs = m?.[1] ? parseDurationSpan(m[1]) : undefined;
  return afterMs === undefined ? undefined : { afterMs, wording: "span" };
}

const CLOCK_AFTER_KEYWORD =
  /\b(?:resets?|try again|available again)(?:\s+at)?\s+(\d{1,2})(?::(\d{2}))?\s*([ap])?(\.?m\.?)?(?![\w:])(?:\s*\(([^)]+)\))?/i;

function clockHourMinute(hourText: string, minuteText: string | undefined, meridiem: string | undefined) {
  const hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (minute > 59) return undefined;
  if (!meridiem) return hour <= 23 && minuteText !== undefined ? { hour, minute } : undefined;
  if (hour < 1 || hour > 12) return undefined;
  const pm = meridiem.toLowerCase() === "p";
  return { hour: (hour % 12) + (pm ? 12 : 0), minute };
}

/**
 * "resets 7pm (Europe/Istanbul)", "resets 3:44am (UTC)", "resets at 14:30", "resets 2:30 PM",
 * "try again at 3:43 AM". A zone in parentheses wins; otherwise the agent's local zone.
 * Hour-only needs am/pm and a 24-hour time needs a colon, so "resets 4 days" is not a clock.
 */
export function parseClockReset(text: string, now: number, localZone: string): ResetHint | undefined {
  const m = CLOCK_AFTER_KEYWORD.exec(text);
  if (!m?.[1]) return undefined;
  if (m[3] && !m[4]) return undefined; // "resets 4 a…" is not a meridiem
  const hm = clockHourMinute(m[1], m[2], m[3]);
  if (!hm) return undefined;
  const named = m[5]?.trim();
  const zone = named && isKnownTimeZone(named) ? named : localZone;
  return { at: nextWallClockOccurrence(now, hm.hour, hm.minute, zone), wording: `clock ${zone}` };
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DATED_CLOCK =
  /\bresets?\s+(?:on\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*([ap])?(\.?m\.?)?(?![\w:])(?:\s*\(([^)]+)\))?/i;

/**
 * Weekly windows name the day: "resets Nov 28, 7pm (Europe/Istanbul)", "resets Dec 1 at 10:00".
 * The year is the current one in that zone, or the next when the date has already passed.
 */
export function parseDatedClockReset(text: string, now: number, localZone: string): ResetHint | undefined {
  const m = DATED_CLOCK.exec(text);
  if (!m?.[1] || !m[2] || !m[3] || (m[5] && !m[6])) return undefined;
  const hm = clockHourMinute(m[3], m[4], m[5]);
  const month = MONTHS.indexOf(m[1].toLowerCase()) + 1;
  const day = Number(m[2]);
  if (!hm || day < 1 || day > 31) return undefined;
  const named = m[7]?.trim();
  const zone = named && isKnownTimeZone(named) ? named : localZone;
  const year = wallClockAt(now, zone).year;
  const wall = { year, month, day, hour: hm.hour, minute: hm.minute, second: 0 };
  const thisYear = instantOfWallClock(wall, zone);
  const at = thisYear >= now - DAY_MS ? thisYear : instantOfWallClock({ ...wall, year: year + 1 }, zone);
  return { at, wording: `dated clock ${zone}` };
}

const ABSOLUTE =
  /\b(?:reset|resets|until|again)\s+(?:at\s+)?(\d{4})-(\d{2})-(\d{2})[ T]+(\d{2}):(\d{2})(?::(\d{2}))?\s*(z|[+-]\d{2}:?\d{2})?/i;

/** "Your limit will reset at 2026-06-16 18:29:51" (local) or with an explicit Z/offset. */
export function parseAbsoluteReset(text: string, localZone: string): ResetHint | undefined {
  const m = ABSOLUTE.exec(text.replace(/\s+/g, " "));
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number, number, number, number, number, number,
  ];
  const wall = { year, month, day, hour, minute, second };
  const offset = m[7]?.toLowerCase();
  if (!offset) return { at: instantOfWallClock(wall, localZone), wording: `absolute ${localZone}` };
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (offset === "z") return { at: utc, wording: "absolute utc" };
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const offsetMs = sign * (Number(digits.slice(0, 2)) * HOUR_MS + Number(digits.slice(2)) * MINUTE_MS);
  return { at: utc - offsetMs, wording: "absolute offset" };
}

const RETRY_AFTER = [
  /retry[- ]?after:?\s*(\d+(?:\.\d+)?)\s*(ms|s|secs?|seconds?)?\b/i,
  /\bretry(?:ing)?\s+in\s+(\d+(?:\.\d+)?)\s*(ms|s|secs?|seconds?)\b/i,
  /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)(s)"/i,
];

/** "retry-after: 120", "Retry after 120 seconds", "Please retry in 41.5s" → ms. */
export function parseRetryAfter(text: string): number | undefined {
  for (const re of RETRY_AFTER) {
    const m = re.exec(text);
    if (!m?.[1]) continue;
    const scale = m[2]?.toLowerCase() === "ms" ? 1 : SECOND_MS;
    return Math.round(Number(m[1]) * scale);
  }
  return undefined;
}

/** A reset instant given as epoch seconds (claude `rate_limit_event.resetsAt`, `resets_at`). */
export function resetFromEpochSeconds(epochSeconds: number): ResetHint {
  return { at: epochSeconds * SECOND_MS, wording: "epoch" };
}

/** Provider JSON bodies: `"resets_in_seconds":3600`, `"resets_at":1795578260`. */
export function parseResetJsonFields(text: string): ResetHint | undefined {
  const inSeconds = /"resets_in_seconds"\s*:\s*(\d+)/i.exec(text);
  if (inSeconds?.[1]) return { afterMs: Number(inSeconds[1]) * SECOND_MS, wording: "resets_in_seconds" };
  const at = /"resets_at"\s*:\s*(\d{9,11})\b/i.exec(text);
  return at?.[1] ? resetFromEpochSeconds(Number(at[1])) : undefined;
}

/** opencode's loose wording: the first "<n> day|hour|minute|second" anywhere ("for 5 hour"). */
export function parseUnitCount(text: string): ResetHint | undefined {
  const m = /\b(\d+)\s+(day|hour|minute|second)s?\b/i.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  return { afterMs: Number(m[1]) * unitMs(m[2]), wording: "unit count" };
}

/** Every reset wording, most specific first. `localZone` is the agent process's zone. */
export function parseResetTime(text: string, now: number, localZone = "UTC"): ResetHint | undefined {
  return (
    parseAbsoluteReset(text, localZone) ??
    parseDatedClockReset(text, now, localZone) ??
    parseClockReset(text, now, localZone) ??
    parseSpanReset(text) ??
    parseResetJsonFields(text)
  );
}

/** The instant a usage-limited key may be re-probed: the reset instant, else now + 5 h. */
export function benchUntil(resetAt: number | undefined, now: number): number {
  return resetAt ?? now + USAGE_LIMIT_DEFAULT_BENCH_MS;
}

/** "96h0m" at or above an hour, "24m" below (spec 04 §2.8); minutes truncated. */
export function formatResetIn(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE_MS));
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h${minutes % 60}m` : `${minutes}m`;
}
