import { z } from "../zod.ts";

// Resilience state per agent key (harness, model), replayed from status events. The engine owns
// the agent_status.jsonl file; it feeds each event here (on start-up and after every write).

export const AgentKey = z.object({ harness: z.string(), model: z.string() });
export type AgentKey = z.infer<typeof AgentKey>;

export const StatusEventType = z.enum(["paused", "retry_failed", "frozen", "probation", "benched", "active", "unfrozen"]);
export type StatusEventType = z.infer<typeof StatusEventType>;

export const StatusEvent = z.object({
  key: AgentKey,
  event: StatusEventType,
  /** When the event happened (ms since epoch). */
  at: z.number(),
  /** benched: the reset deadline; paused: when the hourly retry is due (default at + 1h). */
  until: z.optional(z.number()),
  quota_scope: z.optional(z.string()),
});
export type StatusEvent = z.infer<typeof StatusEvent>;

export const HOUR_MS = 3_600_000;
/** A pause lasts one hour, then the key gets an hourly retry. */
export const PAUSE_MS = HOUR_MS;
/** A freeze decays to probation after five hours. */
export const FREEZE_MS = 5 * HOUR_MS;
/** Bench length when a usage limit names no reset time. */
export const DEFAULT_BENCH_MS = 5 * HOUR_MS;

export type KeyStatus =
  | { kind: "active" }
  | { kind: "paused"; until: number; due: boolean }
  | { kind: "benched"; until: number }
  | { kind: "frozen"; since: number }
  | { kind: "probation"; logged: boolean };

type Stored =
  | { kind: "active" }
  | { kind: "paused"; until: number }
  | { kind: "benched"; until: number }
  | { kind: "frozen"; since: number; probationLogged: boolean }
  | { kind: "probation" };

export type StatusBook = Map<string, Stored>;

export function keyId(key: AgentKey): string {
  return `${key.harness}\u0000${key.model}`;
}

export function createStatusBook(events: readonly StatusEvent[] = []): StatusBook {
  const book: StatusBook = new Map();
  for (const e of events) applyStatusEvent(book, e);
  return book;
}

/** Last event wins, as in the persisted log. */
export function applyStatusEvent(book: StatusBook, e: StatusEvent): void {
  const id = keyId(e.key);
  switch (e.event) {
    case "paused":
    case "retry_failed":
      book.set(id, { kind: "paused", until: e.until ?? e.at + PAUSE_MS });
      return;
    case "frozen":
      book.set(id, { kind: "frozen", since: e.at, probationLogged: false });
      return;
    case "probation": {
      const cur = book.get(id);
      // A probation note for a freeze keeps the freeze's age but marks the one re-probe as used.
      if (cur?.kind === "frozen") book.set(id, { ...cur, probationLogged: true });
      else book.set(id, { kind: "probation" });
      return;
    }
    case "benched":
      book.set(id, { kind: "benched", until: e.until ?? e.at + DEFAULT_BENCH_MS });
      return;
    case "active":
    case "unfrozen":
      book.set(id, { kind: "active" });
  }
}

/** The state of a key at `now`, with the time-based decays applied. */
export function statusAt(book: StatusBook, key: AgentKey, now: number): KeyStatus {
  const s = book.get(keyId(key));
  if (!s || s.kind === "active") return { kind: "active" };
  switch (s.kind) {
    case "paused":
      return { kind: "paused", until: s.until, due: now >= s.until };
    case "benched":
      return now >= s.until ? { kind: "active" } : s;
    case "frozen":
      return now >= s.since + FREEZE_MS ? { kind: "probation", logged: s.probationLogged } : { kind: "frozen", since: s.since };
    case "probation":
      return { kind: "probation", logged: true };
  }
}

/** The bench deadline for a usage limit: absolute reset, else relative, else five hours. */
export function benchDeadline(now: number, reset: { at?: number; afterMs?: number } = {}): number {
  if (reset.at !== undefined) return reset.at;
  if (reset.afterMs !== undefined) return now + reset.afterMs;
  return now + DEFAULT_BENCH_MS;
}
