import { z } from "../zod.ts";
import { RallyError } from "../errors.ts";

// One roster entry as written: an agent spec with an optional trailing quota (`:N` or `:N-M`).
// Only the positional colon rule lives here; what the spec names is resolve-agent.ts's job.

const positiveInt = z.number().check(z.int(), z.positive());
export const Quota = z.object({ min: positiveInt, max: positiveInt });
/** `:N` is `{min: N, max: N}`; `:N-M` keeps both bounds. */
export type Quota = z.infer<typeof Quota>;

export const ParsedEntry = z.object({
  /** The entry as written (trimmed). */
  raw: z.string(),
  /** Identifier segments re-joined with `:` (quota removed), e.g. `op:z`. */
  spec: z.string(),
  quota: z.optional(Quota),
  /** Two identifier segments: the entry names its model itself. */
  explicitModel: z.boolean(),
});
export type ParsedEntry = z.infer<typeof ParsedEntry>;

const RANGE = /^(\d+)-(\d+)$/;
const SINGLE = /^\d+$/;

function entryError(raw: string, detail: string): RallyError {
  return new RallyError("ROUTING_BAD_ENTRY", `routing: entry "${raw}" ${detail}`);
}

function toQuotaNumber(raw: string, digits: string): number {
  const n = Number(digits);
  // Digits beyond 2^53 would not survive a round trip through formatEntry.
  if (!Number.isSafeInteger(n)) throw entryError(raw, `has quota ${digits}; too large`);
  return n;
}

function parseQuota(raw: string, last: string): Quota | undefined {
  const range = RANGE.exec(last);
  if (range) {
    const min = toQuotaNumber(raw, range[1]!);
    const max = toQuotaNumber(raw, range[2]!);
    if (min <= 0) throw entryError(raw, `has quota min ${min}; must be positive`);
    if (min > max) throw entryError(raw, `has quota range ${min}-${max}; min must not exceed max`);
    return { min, max };
  }
  if (SINGLE.test(last)) {
    const n = toQuotaNumber(raw, last);
    if (n <= 0) throw entryError(raw, `has quota ${n}; must be positive`);
    return { min: n, max: n };
  }
  return undefined;
}

/** Split an entry into spec and quota. Throws RallyError ROUTING_BAD_ENTRY / ROUTING_EMPTY_ENTRY. */
export function parseEntry(input: string): ParsedEntry {
  const raw = input.trim();
  if (raw === "") throw new RallyError("ROUTING_EMPTY_ENTRY", "routing: empty entry");
  const segments = raw.split(":");
  // A lone segment is never a quota: `4` is an (unknown) alias, not "four runs of nothing".
  const quota = segments.length >= 2 ? parseQuota(raw, segments[segments.length - 1]!) : undefined;
  const ids = quota ? segments.slice(0, -1) : segments;
  if (ids.length > 2) {
    throw entryError(raw, `has ${ids.length} identifier segments (expected 1 for shortcut or 2 for harness:model)`);
  }
  return { raw, spec: ids.join(":"), quota, explicitModel: ids.length === 2 };
}

export function formatQuota(q: Quota): string {
  return q.min === q.max ? String(q.min) : `${q.min}-${q.max}`;
}

/** The canonical text of a parsed entry; parseEntry(formatEntry(e)) has the same spec and quota. */
export function formatEntry(entry: Pick<ParsedEntry, "spec" | "quota">): string {
  return entry.quota ? `${entry.spec}:${formatQuota(entry.quota)}` : entry.spec;
}
