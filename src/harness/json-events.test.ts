import { describe, expect, test } from "bun:test";
import { parseEventLine, SKIPPED_EVENT } from "./json-events.ts";

const READS = new Set(["assistant", "result"]);

describe("parseEventLine", () => {
  test.each([
    ['{"type":"assistant","x":1}', { type: "assistant", x: 1 }],
    ['{"type":"user","message":{"content":"rate limit exceeded"}}', SKIPPED_EVENT],
    // A type the line cannot show up front is parsed in full, then read by the parser's switch.
    ['{"x":1,"type":"user"}', { x: 1, type: "user" }],
    [' {"type":"user"}', { type: "user" }],
    ['{"type":"result"', undefined],
    ["plain text", undefined],
    ["", undefined],
  ])("%j", (line, want) => {
    expect(parseEventLine(line, READS)).toEqual(want as never);
  });

  test("a skipped line is never parsed, so broken JSON in it costs nothing", () => {
    expect(parseEventLine('{"type":"user","content":"unterminated', READS)).toBe(SKIPPED_EVENT);
  });
});
