import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { isRallyError } from "../errors.ts";
import { formatEntry, parseEntry } from "./entry.ts";

describe("parseEntry (spec 02 §2.2, cases 1–3)", () => {
  const accepted: [string, string, { min: number; max: number } | undefined, boolean][] = [
    ["op:z:4", "op:z", { min: 4, max: 4 }, true],
    ["op:gk:2-6", "op:gk", { min: 2, max: 6 }, true],
    ["opencode:opencode-go/kimi-k2.6:3", "opencode:opencode-go/kimi-k2.6", { min: 3, max: 3 }, true],
    ["claude:claude-4.5-sonnet", "claude:claude-4.5-sonnet", undefined, true],
    ["codex:gpt-4", "codex:gpt-4", undefined, true],
    ["4", "4", undefined, false],
    ["42", "42", undefined, false],
    ["cc", "cc", undefined, false],
    ["cc:2-5", "cc", { min: 2, max: 5 }, false],
    ["cc:3-3", "cc", { min: 3, max: 3 }, false],
    ["cc:opus:2", "cc:opus", { min: 2, max: 2 }, true],
    ["cc:-1", "cc:-1", undefined, true],
    ["cc:", "cc:", undefined, true],
    ["  cc:2  ", "cc", { min: 2, max: 2 }, false],
  ];
  test.each(accepted)("%p → spec %p", (raw, spec, quota, explicitModel) => {
    expect(parseEntry(raw)).toEqual({ raw: raw.trim(), spec, quota, explicitModel });
  });

  const rejected: [string, string][] = [
    ["claude:opus:4.7", 'routing: entry "claude:opus:4.7" has 3 identifier segments (expected 1 for shortcut or 2 for harness:model)'],
    ["a:b:c:3", 'routing: entry "a:b:c:3" has 3 identifier segments (expected 1 for shortcut or 2 for harness:model)'],
    ["bad:too:many:segments", 'routing: entry "bad:too:many:segments" has 4 identifier segments (expected 1 for shortcut or 2 for harness:model)'],
    ["op:z:abc", 'routing: entry "op:z:abc" has 3 identifier segments (expected 1 for shortcut or 2 for harness:model)'],
    ["claude::opus", 'routing: entry "claude::opus" has 3 identifier segments (expected 1 for shortcut or 2 for harness:model)'],
    ["", "routing: empty entry"],
    ["   ", "routing: empty entry"],
    ["cc:0", 'routing: entry "cc:0" has quota 0; must be positive'],
    ["cc:0-5", 'routing: entry "cc:0-5" has quota min 0; must be positive'],
    ["cc:5-3", 'routing: entry "cc:5-3" has quota range 5-3; min must not exceed max'],
  ];
  test.each(rejected)("%p is rejected", (raw, message) => {
    expect(() => parseEntry(raw)).toThrow(message);
  });
});

// Random entries built from the grammar's own alphabet, so colons, digits and dashes are common.
const piece = fc.stringMatching(/^[a-zA-Z0-9_./ -]{0,6}$/);
const entryText = fc.oneof(
  fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(":")),
  fc.string({ maxLength: 12 }),
);

describe("parseEntry properties", () => {
  test("never throws anything but a RallyError", () => {
    fc.assert(
      fc.property(entryText, (text) => {
        try {
          parseEntry(text);
        } catch (err) {
          if (!isRallyError(err)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("formatting a parsed entry re-parses to the same value", () => {
    fc.assert(
      fc.property(entryText, (text) => {
        let parsed;
        try {
          parsed = parseEntry(text);
        } catch {
          return;
        }
        const again = parseEntry(formatEntry(parsed));
        expect({ ...again, raw: "" }).toEqual({ ...parsed, raw: "" });
      }),
      { numRuns: 2000 },
    );
  });
});
