import type { ResetContext, ResetExtractor } from "./pattern.ts";
import {
  parseAbsoluteReset,
  parseClockReset,
  parseResetJsonFields,
  parseResetTime,
  parseRetryAfter,
  parseSpanReset,
  parseUnitCount,
  type ResetHint,
  resetFromEpochSeconds,
} from "./reset-time.ts";

// Named reset extractors that table rows point at. Structured event fields beat text, because
// they are the CLI's own numbers (claude `resetsAt`) rather than a rendering of them.

function fromEvents(ctx: ResetContext): ResetHint | undefined {
  for (const e of ctx.events) {
    if (e.resetsAt !== undefined) return resetFromEpochSeconds(e.resetsAt);
    if (e.retryAfterSecs !== undefined) return { afterMs: e.retryAfterSecs * 1000, wording: "event retry-after" };
  }
  return undefined;
}

function firstLine(ctx: ResetContext, parse: (line: string) => ResetHint | undefined): ResetHint | undefined {
  for (const line of ctx.lines) {
    const hint = parse(line);
    if (hint) return hint;
  }
  return undefined;
}

/** Retry-after seconds from an event or a "retry-after: N" / "retry in Ns" line. */
export const retryAfterReset: ResetExtractor = (ctx) =>
  fromEvents(ctx) ??
  firstLine(ctx, (line) => {
    const ms = parseRetryAfter(line);
    return ms === undefined ? undefined : { afterMs: ms, wording: "retry-after" };
  });

/** Any reset wording at all: event fields, then every text form `parseResetTime` knows. */
export const anyReset: ResetExtractor = (ctx) =>
  fromEvents(ctx) ?? firstLine(ctx, (line) => parseResetTime(line, ctx.now, ctx.timeZone)) ?? retryAfterReset(ctx);

/** "Resets in 7d." / "Resets in 5h30m." (gemini, antigravity). */
export const resetsInSpan: ResetExtractor = (ctx) => firstLine(ctx, parseSpanReset);

/** codex: "try again at 3:43 AM" in the codex process's zone, else a body `resets_*` field. */
export const codexReset: ResetExtractor = (ctx) =>
  firstLine(ctx, (line) => parseClockReset(line, ctx.now, ctx.timeZone)) ??
  firstLine(ctx, parseResetJsonFields) ??
  firstLine(ctx, parseSpanReset);

/** opencode: absolute local time, then "<n> days", then "Resets in <span>" (spec 04 §2.7). */
export const opencodeReset: ResetExtractor = (ctx) =>
  fromEvents(ctx) ??
  firstLine(ctx, (line) => parseAbsoluteReset(line, ctx.timeZone)) ??
  firstLine(ctx, parseSpanReset) ??
  firstLine(ctx, parseUnitCount) ??
  firstLine(ctx, parseResetJsonFields);
