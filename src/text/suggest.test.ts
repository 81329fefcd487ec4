import { describe, expect, test } from "bun:test";
import { closest, didYouMean, editDistance } from "./suggest.ts";

describe("editDistance (optimal string alignment)", () => {
  test.each([
    ["relay", "relay", 0],
    ["relya", "relay", 1],
    ["tial", "tail", 1],
    ["ab", "ba", 1],
    ["relay", "rely", 1],
    ["relay", "relays", 1],
    ["relay", "replay", 1],
    ["kitten", "sitting", 3],
    ["ca", "abc", 3],
    ["", "abc", 3],
  ])("%p → %p = %p", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("didYouMean", () => {
  const commands = ["config", "hooks", "init", "progress", "relay", "routes", "tail", "version"];

  test("a swapped pair of letters is suggested, even in a short word", () => {
    expect(didYouMean("relya", commands)).toBe('did you mean "relay"?');
    expect(didYouMean("tial", commands)).toBe('did you mean "tail"?');
    expect(didYouMean("ocnfig", commands)).toBe('did you mean "config"?');
  });

  test("far-off words get no suggestion", () => {
    expect(didYouMean("deploy", commands)).toBe("");
    expect(didYouMean("xyz", commands)).toBe("");
    expect(closest("lairt", commands)).toEqual([]);
  });
});
