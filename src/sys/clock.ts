// Time as a seam: domain logic takes a Clock so tests advance time instead of sleeping.
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    }),
};

/** A clock that only moves when told to; sleep() advances it instantly. */
export function manualClock(start: number | string = 0): Clock & { advance(ms: number): void } {
  let t = typeof start === "string" ? Date.parse(start) : start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    async sleep(ms) {
      t += ms;
    },
  };
}
