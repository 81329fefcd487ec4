import { applyStatusEvent, keyId, statusAt, type AgentKey, type StatusBook, type StatusEvent } from "./agent-status.ts";
import { formatGoDuration } from "./duration.ts";
import { wrapError, type AgentEntry, type Lane, type LaneEntry } from "./lanes.ts";
import { disabledProviderOf } from "./quota-scope.ts";
import { resolveRunner, type Runner, type RunnerContext } from "./runner.ts";
import { failEntry, recoverEntry, resetEntry, type SchedulerState } from "./scheduler.ts";

// One lane at run time: its scheduler, the cursors of its role slots, and how the persisted
// resilience state of each key maps onto scheduler flags (spec 02 §7.1) and dead ends (§7.3).

export type Attempt = "normal" | "hourly-retry" | "probation";

export type LaneRuntime = {
  lane: Lane;
  sched: SchedulerState;
  /** Per role slot: index into the referenced route. */
  cursors: number[];
  /** Set by the last sync: entries that run as an hourly retry or a probation run. */
  attempts: Map<number, Attempt>;
  /** Label of the last runner picked, to report rotations. */
  last?: string;
};

export type RoutingState = {
  book: StatusBook;
  ctx: RunnerContext;
  /** Keyed by lower-cased lane name. */
  lanes: Map<string, LaneRuntime>;
  /** Keys out for the rest of this relay (in memory only): skipped, and never waited for. */
  sidelined: Set<string>;
};

export type EndReason =
  | "all agents frozen"
  | "all agents unavailable"
  | "all agents paused or benched"
  | "all agents disabled (check [providers] disabled flags)";

export type Deadlock = { kind: "wait"; ms: number; reason: string } | { kind: "end"; reason: EndReason };

/** The agent entry a slot runs now; a role slot points into its route at its cursor. */
export function agentEntryAt(state: RoutingState, lr: LaneRuntime, i: number): AgentEntry | undefined {
  const e: LaneEntry = lr.lane.entries[i]!;
  if (e.kind === "agent") return e;
  const entries = state.lanes.get(e.route.toLowerCase())?.lane.entries ?? [];
  const picked = entries[lr.cursors[i]! % Math.max(1, entries.length)];
  return picked?.kind === "agent" ? picked : undefined;
}

export function runnerAt(state: RoutingState, lr: LaneRuntime, i: number, role: string): Runner | undefined {
  const entry = agentEntryAt(state, lr, i);
  if (!entry) return undefined;
  try {
    return resolveRunner(entry, role, state.ctx);
  } catch (err) {
    throw wrapError(err, `routing: route "${lr.lane.name}" entry "${entry.raw}": `);
  }
}

/** Apply an event to the book and queue it for the engine to persist. */
export function persistEvent(state: RoutingState, e: StatusEvent, out: StatusEvent[]): void {
  applyStatusEvent(state.book, e);
  out.push(e);
}

function syncEntry(state: RoutingState, lr: LaneRuntime, i: number, runner: Runner, now: number, out: StatusEvent[]): void {
  if (disabledProviderOf(runner.key, state.ctx.providers) || state.sidelined.has(keyId(runner.key))) return failEntry(lr.sched, i, true);
  const st = statusAt(state.book, runner.key, now);
  const slot = lr.sched.slots[i]!;
  switch (st.kind) {
    case "active":
      return recoverEntry(lr.sched, i);
    case "paused":
      if (!st.due) return slot.benched && slot.exhausted ? undefined : failEntry(lr.sched, i, true);
      resetEntry(lr.sched, i);
      lr.attempts.set(i, "hourly-retry");
      return;
    case "probation":
      // One tentative run per decayed freeze; after that it waits for the run's verdict.
      if (st.logged) return failEntry(lr.sched, i, true);
      persistEvent(state, { key: runner.key, event: "probation", at: now }, out);
      resetEntry(lr.sched, i);
      lr.attempts.set(i, "probation");
      return;
    default:
      return failEntry(lr.sched, i, true);
  }
}

/** Mirror the resilience state of every entry's key onto the lane's scheduler. */
export function syncLane(state: RoutingState, lr: LaneRuntime, role: string, now: number, out: StatusEvent[]): void {
  lr.attempts.clear();
  lr.lane.entries.forEach((_, i) => {
    const runner = runnerAt(state, lr, i, role);
    if (runner) syncEntry(state, lr, i, runner, now, out);
  });
}

/** Every entry is out: wait for the earliest pause or bench to lapse, or end the relay. */
export function resolveDeadlock(state: RoutingState, lr: LaneRuntime, role: string, now: number): Deadlock {
  const keys = new Map<string, AgentKey>();
  lr.lane.entries.forEach((_, i) => {
    const r = runnerAt(state, lr, i, role);
    if (r) keys.set(keyId(r.key), r.key);
  });
  let frozen = 0;
  let disabled = 0;
  const waits: number[] = [];
  for (const key of keys.values()) {
    if (disabledProviderOf(key, state.ctx.providers)) disabled++;
    const st = statusAt(state.book, key, now);
    if (st.kind === "frozen") frozen++;
    else if (state.sidelined.has(keyId(key))) continue;
    else if (st.kind === "paused" || st.kind === "benched") waits.push(st.until - now);
  }
  if (keys.size > 0 && disabled === keys.size) return { kind: "end", reason: "all agents disabled (check [providers] disabled flags)" };
  if (keys.size > 0 && frozen === keys.size) return { kind: "end", reason: "all agents frozen" };
  if (waits.length === 0) return { kind: "end", reason: "all agents unavailable" };
  const ms = Math.min(...waits);
  if (ms <= 0) return { kind: "end", reason: "all agents paused or benched" };
  return { kind: "wait", ms, reason: `all agents paused, waiting ${formatGoDuration(ms)}` };
}
