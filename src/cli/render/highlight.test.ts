import { describe, expect, test } from "bun:test";
import { chromaLine, heuristicLine, highlighter } from "./highlight.ts";

// Spec 06 §9.3 and §12.1 case 19: only SGR codes are added; what they wrap is the point.
const SGR = /\x1b\[[0-9;]*m/g;
const strip = (s: string) => s.replace(SGR, "");
/** The coloured spans: [code, text] in order. */
const spans = (s: string) => [...s.matchAll(/\x1b\[([0-9;]+)m(.*?)\x1b\[0m/g)].map((m) => [m[1], m[2]]);

describe("heuristic", () => {
  test("timestamps grey, error words red, URLs blue and underlined; the text is unchanged", () => {
    const line = "2026-06-18T12:00:00Z error https://example.com";
    const out = heuristicLine(line);
    expect(strip(out)).toBe(line);
    expect(spans(out)).toEqual([["90", "2026-06-18T12:00:00Z"], ["91", "error"], ["94;4", "https://example.com"]]);
  });

  test("a JSON line is one green span; a prompt line one cyan span", () => {
    expect(spans(heuristicLine('{"ok":true}'))).toEqual([["92", '{"ok":true}']]);
    expect(spans(heuristicLine("$ ls -la"))).toEqual([["96", "$ ls -la"]]);
  });

  test("whole words only, any case; plain text passes through untouched", () => {
    expect(spans(heuristicLine("FAILED: errors in terror at 10:20:30"))).toEqual([["91", "FAILED"], ["90", "10:20:30"]]);
    expect(heuristicLine("nothing to see")).toBe("nothing to see");
  });
});

describe("chroma", () => {
  test("JSON keys, strings, numbers and literals are coloured apart; the text is unchanged", () => {
    const line = '{"type":"result","n":-1.5e3,"ok":true,"x":null,"s":"a \\"q\\" b"}';
    const out = chromaLine(line);
    expect(strip(out)).toBe(line);
    const byText = Object.fromEntries(spans(out).map(([code, text]) => [text, code]));
    expect(byText['"type"']).toBe(byText['"n"']); // keys share a colour
    expect(byText['"type"']).not.toBe(byText['"result"']); // keys and strings differ
    expect(byText["-1.5e3"]).toBeDefined();
    expect(byText["true"]).toBe(byText["null"]);
  });

  test("shell-like text: the command, flags, strings, variables and comments", () => {
    const line = `  git commit -m "msg" --no-verify $HOME # done`;
    const out = chromaLine(line);
    expect(strip(out)).toBe(line);
    expect(spans(out).map(([, text]) => text)).toEqual(["git", "-m", '"msg"', "--no-verify", "$HOME", "# done"]);
  });
});

describe("highlighter", () => {
  const text = '{"a":1}\r\nplain error\npartial {"cut';
  test("off, and heuristic without colour, leave the bytes alone", () => {
    expect(highlighter("off", true)).toBeUndefined();
    expect(highlighter("heuristic", false)).toBeUndefined();
  });
  test("per line, keeping newlines and CRs; a cut last line is still emitted", () => {
    for (const mode of ["heuristic", "chroma"] as const) {
      const out = highlighter(mode, true)!(text);
      expect(strip(out)).toBe(text);
      expect(out).toContain("\x1b[");
    }
    expect(highlighter("chroma", false)!(text)).toContain("\x1b["); // chroma colours even when piped
  });
});
