import { describe, expect, test } from "bun:test";
import { isWatcherThread, WATCHER_THREADS } from "./watcher-threads.ts";

describe("WATCHER_THREADS", () => {
  for (const w of WATCHER_THREADS) {
    test(`${w.pattern}: ${w.source}`, () => {
      expect(w.hits.filter((name) => !isWatcherThread(name))).toEqual([]);
      expect(w.misses.filter((name) => isWatcherThread(name))).toEqual([]);
      // comm is at most 15 bytes: a pattern that needs more can never match.
      for (const name of [...w.hits, ...w.misses]) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(15);
    });
  }
});
