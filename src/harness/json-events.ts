import type { TokenUsage } from "../state/schema.ts";

// Tolerant readers for the NDJSON event streams the built-in CLIs print. A line that is not a
// JSON object (a warning, a partial write, a plain-text banner) is simply not an event.

export type JsonObject = Record<string, unknown>;

/** The line as a JSON object, or undefined for anything else (blank, text, arrays, broken JSON). */
export function parseJsonLine(line: string): JsonObject | undefined {
  const text = line.trim();
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return asObject(value);
  } catch {
    return undefined;
  }
}

/** An event line whose `type` the parser does not read: counted as an event, never parsed. */
export const SKIPPED_EVENT = Symbol("skipped event");

const TYPE_PREFIX = '{"type":"';

/**
 * `parseJsonLine` for event streams, skipping the events a parser has no use for. The built-in
 * CLIs write `"type"` first in every event, so the type is read off the line's start without
 * parsing it; tool results (file contents, command output) are the bulk of a busy stream and
 * are never parsed. A line that does not start that way is parsed in full, as before.
 */
export function parseEventLine(line: string, reads: ReadonlySet<string>): JsonObject | typeof SKIPPED_EVENT | undefined {
  if (line.startsWith(TYPE_PREFIX)) {
    const end = line.indexOf('"', TYPE_PREFIX.length);
    if (end > 0 && !reads.has(line.slice(TYPE_PREFIX.length, end))) return SKIPPED_EVENT;
  }
  return parseJsonLine(line);
}

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A non-empty string, else undefined (session ids, error codes). */
export function asId(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A non-negative integer count (token counts), else undefined. */
export function asCount(value: unknown): number | undefined {
  const n = asNumber(value);
  return n !== undefined && n >= 0 ? Math.round(n) : undefined;
}

/** Adds token counts field by field; undefined stays undefined until some source reports it. */
export function addUsage(total: TokenUsage | undefined, more: TokenUsage): TokenUsage | undefined {
  const keys = Object.keys(more) as (keyof TokenUsage)[];
  const reported = keys.filter((k) => more[k] !== undefined);
  if (reported.length === 0) return total;
  const sum: TokenUsage = { ...total };
  for (const k of reported) sum[k] = (sum[k] ?? 0) + more[k]!;
  return sum;
}
