import { describe, expect, test } from "bun:test";
import { LineSplitter, TailBuffer } from "./lines.ts";

const enc = new TextEncoder();

function split(chunks: (string | Uint8Array)[]): string[] {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) s.push(typeof c === "string" ? enc.encode(c) : c);
  s.flush();
  return lines;
}

/** Every way of cutting `bytes` into two chunks, plus one byte at a time. */
function cuts(bytes: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[...bytes].map((b) => Uint8Array.of(b))];
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return out;
}

describe("LineSplitter", () => {
  test.each([
    ["a\nb\n", ["a", "b"]],
    ["a\nb", ["a", "b"]],
    ["a\r\nb\r\n", ["a", "b"]],
    ["\n\nx\n", ["", "", "x"]],
    ["", []],
    ["only\r", ["only"]],
    ['{"text":"a\u2028b"}\n', ['{"text":"a\u2028b"}']],
  ])("%j → %j", (input, lines) => {
    expect(split([input])).toEqual(lines);
  });

  test("multi-byte characters survive every chunk boundary", () => {
    const text = "héllo → wörld 🚀\n日本語\nend";
    const bytes = enc.encode(text);
    for (const chunks of cuts(bytes)) expect(split(chunks)).toEqual(["héllo → wörld 🚀", "日本語", "end"]);
  });

  test("a line spread over many chunks is joined once", () => {
    const long = "x".repeat(100_000);
    const bytes = enc.encode(`${long}\nnext\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 4096) chunks.push(bytes.subarray(i, i + 4096));
    expect(split(chunks)).toEqual([long, "next"]);
  });

  test("invalid UTF-8 becomes U+FFFD instead of throwing", () => {
    expect(split([Uint8Array.of(0x61, 0xff, 0x62, 0x0a)])).toEqual(["a\uFFFDb"]);
  });
});

describe("TailBuffer", () => {
  test("keeps the last bytes across chunks", () => {
    const t = new TailBuffer(5);
    for (const c of ["abc", "defg", "hi"]) t.push(enc.encode(c));
    expect(t.text()).toBe("efghi");
    expect(t.total).toBe(9);
  });
});
