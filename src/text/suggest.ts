// "Did you mean" support shared by config keys, agent aliases, model names, commands and flags.

/**
 * Optimal-string-alignment distance: Levenshtein plus swapping two adjacent letters as one edit,
 * so a typo like "relya" is as close to "relay" as a single wrong letter.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // rows[i][j] = distance between a[0..i) and b[0..j); the swap looks two rows back.
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The closest candidates to `input`, nearest first, ties broken by name so output is stable.
 * `maxDistance` keeps wild guesses out of "did you mean" (default: a third of the input, at least 1).
 */
export function closest(
  input: string,
  candidates: Iterable<string>,
  opts: { limit?: number; maxDistance?: number } = {},
): string[] {
  const limit = opts.limit ?? 3;
  const max = opts.maxDistance ?? Math.max(1, Math.floor(input.length / 3));
  const needle = input.toLowerCase();
  return [...new Set(candidates)]
    .map((name) => ({ name, d: editDistance(needle, name.toLowerCase()) }))
    .filter((c) => c.d <= max)
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((c) => c.name);
}

/** `did you mean "a"?` / `did you mean a, b, c?`, or "" when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>, opts?: { limit?: number; maxDistance?: number; quote?: boolean }): string {
  const hits = closest(input, candidates, opts);
  if (hits.length === 0) return "";
  const q = opts?.quote ?? hits.length === 1;
  return `did you mean ${hits.map((h) => (q ? `"${h}"` : h)).join(", ")}?`;
}
