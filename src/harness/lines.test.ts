import { describe, expect, test } from "bun:test";
import { type EventFilter, LineSplitter, TailBuffer } from "./lines.ts";

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

describe("LineSplitter with an event filter", () => {
  const reads = new Set(["assistant", "result"]);
  const stream = [
    '{"type":"system","subtype":"init"}',
    '{"type":"assistant","text":"héllo 🚀"}',
    `{"type":"user","content":"${"file body ".repeat(40)}"}`,
    "plain text, not an event",
    "",
    '{"type":"assistant","text":"crlf"}\r',
    `{"type":"${"t".repeat(60)}"}`, // a type too long to be named: kept, the parser decides
    '{"type":"user"', // no closing brace: still a skipped event by its type
    '{"ty',
    '{"type":"result","is_error":false}',
  ];
  const bytes = enc.encode(stream.join("\n") + "\n");
  const kept = stream.filter((l) => !/^\{"type":"(system|user)"/.test(l)).map((l) => l.replace(/\r$/, ""));

  function splitFiltered(chunks: Uint8Array[]): { lines: string[]; skipped: number } {
    const lines: string[] = [];
    const filter: EventFilter = { reads, onSkipped: () => void skipped++ };
    let skipped = 0;
    const s = new LineSplitter((l) => lines.push(l), filter);
    for (const c of chunks) s.push(c);
    s.flush();
    return { lines, skipped };
  }

  test("skipped events never reach onLine, are counted, and every other line arrives intact at every chunk cut", () => {
    for (const chunks of cuts(bytes)) expect(splitFiltered(chunks)).toEqual({ lines: kept, skipped: 3 });
  });

  test("a skipped event still arriving is dropped, not held, and the line after it is intact", () => {
    const big = `{"type":"user","content":"${"x".repeat(1_000_000)}"}\n{"type":"result"}`;
    const all = enc.encode(big);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += 4096) chunks.push(all.subarray(i, i + 4096));
    expect(splitFiltered(chunks)).toEqual({ lines: ['{"type":"result"}'], skipped: 1 });
    const held = (filter?: EventFilter) => {
      const s = new LineSplitter(() => {}, filter);
      let most = 0;
      for (const c of chunks.slice(0, -1)) s.push(c), (most = Math.max(most, s.heldBytes));
      return most;
    };
    expect(held({ reads, onSkipped() {} })).toBe(0);
    expect(held()).toBeGreaterThan(900_000); // unfiltered, the same line is held until its end
  });

  test("chunks may be views of one reused buffer: an unfinished line is copied before the next read", () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), { reads, onSkipped() {} });
    const scratch = new Uint8Array(16);
    for (const piece of ['{"type":"assist', 'ant","n":1}\nend']) {
      scratch.fill(0x3f);
      scratch.set(enc.encode(piece));
      s.push(scratch.subarray(0, enc.encode(piece).length));
    }
    s.flush();
    expect(lines).toEqual(['{"type":"assistant","n":1}', "end"]);
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
