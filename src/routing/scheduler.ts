import type { Quota } from "./entry.ts";

// One scheduler per lane: which entry runs next, given quotas and which entries failed.
// It knows nothing about agents, time or failure reasons; the router feeds it those facts.

export type SlotState = { runs: number; exhausted: boolean; benched: boolean };
export type SchedulerState = {
  quotas: (Quota | undefined)[];
  slots: SlotState[];
  /** Index of the current entry; -1 before the first pick. */
  pos: number;
  /** How many times the lane wrapped around (informational). */
  cycle: number;
};

export type Pick =
  | { kind: "entry"; index: number; advanced: boolean }
  | { kind: "empty" }
  | { kind: "exhausted" };

export function createScheduler(quotas: (Quota | undefined)[]): SchedulerState {
  return { quotas, slots: quotas.map(() => ({ runs: 0, exhausted: false, benched: false })), pos: -1, cycle: 0 };
}

export function isSelectable(s: SchedulerState, i: number): boolean {
  const slot = s.slots[i]!;
  return !slot.benched && !slot.exhausted;
}

function hasAlternative(s: SchedulerState, i: number): boolean {
  return s.slots.some((_, j) => j !== i && isSelectable(s, j));
}

function firstSelectable(s: SchedulerState, from: number): number {
  for (let j = from; j < s.slots.length; j++) if (isSelectable(s, j)) return j;
  return -1;
}

function shouldStay(s: SchedulerState, i: number): boolean {
  if (!isSelectable(s, i)) return false;
  const q = s.quotas[i];
  const runs = s.slots[i]!.runs;
  if (!q) return true;
  if (runs < q.min) return true;
  return q.max > q.min && runs < q.max && !hasAlternative(s, i);
}

function startStint(s: SchedulerState, i: number): Pick {
  const advanced = i !== s.pos;
  const slot = s.slots[i]!;
  if (advanced) slot.runs = 0;
  slot.runs += 1;
  slot.exhausted = false;
  s.pos = i;
  return { kind: "entry", index: i, advanced };
}

/** Pick the entry for the next run and count it. Mutates the state. */
export function nextEntry(s: SchedulerState): Pick {
  if (s.slots.length === 0) return { kind: "empty" };
  if (s.pos < 0) {
    const first = firstSelectable(s, 0);
    return first < 0 ? { kind: "exhausted" } : startStint(s, first);
  }
  const cur = s.pos;
  if (shouldStay(s, cur)) return startStint(s, cur);
  const q = s.quotas[cur];
  // A range entry at its max with nowhere else to go must wait, not run past its max.
  if (q && q.max > q.min && s.slots[cur]!.runs >= q.max && !hasAlternative(s, cur)) return { kind: "exhausted" };
  const after = firstSelectable(s, cur + 1);
  if (after >= 0) return startStint(s, after);
  if (firstSelectable(s, 0) < 0) return { kind: "exhausted" };
  // Wrap: a new pass forgives plain failures but keeps benches (paused/benched/frozen agents).
  s.cycle += 1;
  for (const slot of s.slots) {
    slot.runs = 0;
    slot.exhausted = false;
  }
  s.pos = -1; // every entry restarts its stint after a wrap, including the one we were on
  return startStint(s, firstSelectable(s, 0));
}

/** The entry's run failed: skip it until the next wrap; `bench` also keeps it out across wraps. */
export function failEntry(s: SchedulerState, i: number, bench: boolean): void {
  const slot = s.slots[i]!;
  slot.exhausted = true;
  slot.benched = bench;
}

/** Only a benched entry is restored; a plain failure waits for the wrap. */
export function recoverEntry(s: SchedulerState, i: number): void {
  const slot = s.slots[i]!;
  if (!slot.benched) return;
  slot.benched = false;
  slot.exhausted = false;
  slot.runs = 0;
}

export function resetEntry(s: SchedulerState, i: number): void {
  const slot = s.slots[i]!;
  slot.benched = false;
  slot.exhausted = false;
  slot.runs = 0;
}
