import { describe, expect, test } from "bun:test";
import { classifyTry } from "./classify.ts";
import { TryEvidence } from "./evidence.ts";
import { HARNESS_FAILURES } from "./failure-tables.ts";
import { buildEvidenceView, type FailurePattern, type MatchTier, matchPattern, sampleEvidence } from "./pattern.ts";
import { COMMON_FAILURES } from "./patterns.ts";

// One generic test over every failure row: each hit must classify as that row (so ordering
// can't shadow it) and each miss must not trigger the row in any tier.

const NOW = Date.parse("2026-11-25T10:00:00Z");
const TIERS: MatchTier[] = ["structured", "text", "exit_code"];

const TABLES: Array<[string, string, readonly FailurePattern[]]> = [
  ["common", "mycode", COMMON_FAILURES],
  ...Object.entries(HARNESS_FAILURES).map(([id, rows]): [string, string, readonly FailurePattern[]] => [id, id, rows]),
];

function label(sample: unknown): string {
  return (typeof sample === "string" ? sample : JSON.stringify(sample)).slice(0, 90);
}

for (const [table, harness, rows] of TABLES) {
  describe(`${table} failure rows`, () => {
    test("row names are unique and every row has a hit and a miss", () => {
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
      for (const row of rows) {
        expect({ row: row.name, hits: row.hits.length > 0 }).toEqual({ row: row.name, hits: true });
        expect({ row: row.name, misses: row.misses.length > 0 }).toEqual({ row: row.name, misses: true });
      }
    });

    for (const row of rows) {
      for (const hit of row.hits) {
        test(`${row.name} hits: ${label(hit)}`, () => {
          const result = classifyTry(sampleEvidence(row, hit, harness), NOW);
          expect({ pattern: result.pattern, category: result.category }).toEqual({
            pattern: row.name,
            category: row.category,
          });
        });
      }
      for (const miss of row.misses) {
        test(`${row.name} misses: ${label(miss)}`, () => {
          const view = buildEvidenceView(TryEvidence.parse(sampleEvidence(row, miss, harness)));
          expect(TIERS.map((tier) => matchPattern(row, view, tier))).toEqual([undefined, undefined, undefined]);
        });
      }
    }
  });
}
