// Terminal display width without dependencies: enough for rally's own glyphs and for agent text
// (CJK, emoji). Wide = 2 columns, combining marks / joiners / variation selectors = 0, SGR = 0.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences on purpose
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * Symbols rally prints that terminals disagree on (East Asian Width "neutral" but often drawn as
 * emoji). Counting them as 2 over-estimates at worst, which keeps a clipped line from wrapping.
 */
const CONSERVATIVE_WIDE = new Set([0x23f1, 0x26a0, 0x2744, 0x25a0]);

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f5], [0x26fa, 0x26fd],
  [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728], [0x274c, 0x274c], [0x2753, 0x2755],
  [0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a], [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb], [0x1f900, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) || // combining diacritics
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, marks
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0x1f3fb && cp <= 0x1f3ff) || // skin-tone modifiers
    cp < 0x20 ||
    (cp >= 0x7f && cp < 0xa0)
  );
}

/** Columns one code point occupies. */
export function codePointWidth(cp: number): 0 | 1 | 2 {
  if (isZeroWidth(cp)) return 0;
  if (cp < 0x1100) return 1;
  if (CONSERVATIVE_WIDE.has(cp)) return 2;
  for (const [lo, hi] of WIDE_RANGES) {
    if (cp < lo) break;
    if (cp <= hi) return 2;
  }
  return 1;
}

export function stripSgr(s: string): string {
  return s.replace(SGR, "");
}

/** Display width of a string, ignoring SGR colour sequences. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of stripSgr(s)) w += codePointWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/**
 * Clips plain text to at most `max` columns, ending with `…` when something was cut.
 * Never splits a wide glyph across the limit.
 */
export function clipToWidth(s: string, max: number): string {
  if (max <= 0) return "";
  if (displayWidth(s) <= max) return s;
  let out = "";
  let w = 0;
  for (const ch of s) {
    const cw = codePointWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}
