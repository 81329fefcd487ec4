// Wall-clock arithmetic in IANA zones through Intl only (no tz database of our own).
// Agent CLIs print resets as local clock times ("resets 7pm (Europe/Istanbul)"), so turning
// them into instants needs the zone's offset at that moment, DST included.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/** True when Intl knows the zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock shown in `timeZone` at instant `epochMs`. */
export function wallClockAt(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function wallAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** Offset of the zone from UTC at an instant, in ms (east positive). */
export function zoneOffsetAt(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return wallAsUtc(wallClockAt(wholeSecond, timeZone)) - wholeSecond;
}

/**
 * The instant a wall-clock time names in a zone. Ambiguous times (DST fall-back) take the
 * earlier instant; times skipped by a spring-forward gap move forward by the gap, the way a
 * wall clock that was set before the jump would read it afterwards.
 */
export function instantOfWallClock(w: WallClock, timeZone: string): number {
  const local = wallAsUtc(w);
  const offsetBefore = zoneOffsetAt(local - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetAt(local + DAY_MS, timeZone);
  const candidates = [local - offsetBefore, local - offsetAfter]
    .filter((t) => zoneOffsetAt(t, timeZone) === local - t)
    .sort((a, b) => a - b);
  return candidates[0] ?? local - offsetBefore;
}

/** Add whole days to a calendar date (no zone involved). */
function addDays(w: WallClock, days: number): WallClock {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * Next instant at or after `now - graceMs` at which the zone's clock reads hour:minute.
 * The grace keeps a reset that has only just passed ("resets 3:44am" read at 3:45) in the
 * past, so the key re-probes now instead of being benched for a whole extra day.
 */
export function nextWallClockOccurrence(
  now: number,
  hour: number,
  minute: number,
  timeZone: string,
  graceMs = 15 * MINUTE_MS,
): number {
  const today = { ...wallClockAt(now, timeZone), hour, minute, second: 0 };
  for (let days = -1; days <= 2; days++) {
    const candidate = instantOfWallClock(addDays(today, days), timeZone);
    if (candidate >= now - graceMs) return candidate;
  }
  return instantOfWallClock(addDays(today, 1), timeZone);
}
