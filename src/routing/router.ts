import { RallyError } from "../errors.ts";
import { applyStatusEvent, createStatusBook, keyId, PAUSE_MS, statusAt, type AgentKey, type StatusEvent } from "./agent-status.ts";
import { chooseLane, type LaneSource } from "./lane-select.ts";
import {
  persistEvent,
  resolveDeadlock,
  runnerAt,
  syncLane,
  type Attempt,
  type EndReason,
  type LaneRuntime,
  type RoutingState,
} from "./lane-runtime.ts";
import { OVERRIDE_LANE } from "./lanes.ts";
import { EMPTY_PROVIDERS, type ProviderIndex } from "./quota-scope.ts";
import type { ReasoningConfig } from "./reasoning.ts";
import { runnerLabel } from "./resolve-agent.ts";
import type { Roster } from "./roster.ts";
import type { Runner } from "./runner.ts";
import { createScheduler, failEntry, isSelectable, nextEntry, recoverEntry } from "./scheduler.ts";

// The routing runtime of one relay: a scheduler per lane plus the resilience state of every key.
// The engine calls select() before each run and reports outcomes; time always comes in as `now`.

export type { Attempt, EndReason };

export type RunSelection = {
  kind: "run";
  lane: string;
  source: LaneSource;
  index: number;
  runner: Runner;
  attempt: Attempt;
  /** Set when the lane moved to a different runner: log `route fallback: rotated <from> -> <to>`. */
  rotatedFrom?: string;
  warnings: string[];
  /** Status events the engine must append to agent_status.jsonl (e.g. probation). */
  persist: StatusEvent[];
};
type Extras = { warnings: string[]; persist: StatusEvent[] };
export type Selection =
  | RunSelection
  | ({ kind: "wait"; ms: number; reason: string } & Extras)
  | ({ kind: "end"; reason: EndReason } & Extras);

export type SelectRequest = { now: number; lapsMode: boolean; assignee?: string };

export type RouterState = RoutingState & { override: boolean };

export type RouterOptions = {
  config: ReasoningConfig;
  roster: Roster;
  /** Replayed agent_status events, oldest first. */
  statusEvents?: readonly StatusEvent[];
  providers?: ProviderIndex;
};

export function createRouterState(opts: RouterOptions): RouterState {
  const lanes = new Map<string, LaneRuntime>();
  for (const lane of opts.roster.lanes) {
    const sched = createScheduler(lane.entries.map((e) => e.quota));
    lanes.set(lane.name.toLowerCase(), { lane, sched, cursors: lane.entries.map(() => 0), attempts: new Map() });
  }
  const ctx = { config: opts.config, providers: opts.providers ?? EMPTY_PROVIDERS, reasoning: opts.roster.reasoning };
  return { book: createStatusBook(opts.statusEvents), ctx, lanes, sidelined: new Set(), override: opts.roster.mode === "override" };
}

function pickFromLane(state: RouterState, lr: LaneRuntime, role: string, now: number): Selection {
  const persist: StatusEvent[] = [];
  syncLane(state, lr, role, now, persist);
  const p = nextEntry(lr.sched);
  if (p.kind === "empty") throw new RallyError("ROUTING_EMPTY_ROUTE", "scheduler: no entries in route");
  if (p.kind === "exhausted") return { ...resolveDeadlock(state, lr, role, now), warnings: [], persist };
  const runner = runnerAt(state, lr, p.index, role)!;
  const entry = lr.lane.entries[p.index]!;
  if (entry.kind === "role") {
    const size = state.lanes.get(entry.route.toLowerCase())?.lane.entries.length ?? 1;
    lr.cursors[p.index] = (lr.cursors[p.index]! + entry.stride) % Math.max(1, size);
  }
  const label = runnerLabel(runner);
  const rotatedFrom = lr.last !== undefined && lr.last !== label ? lr.last : undefined;
  lr.last = label;
  const attempt = lr.attempts.get(p.index) ?? "normal";
  return { kind: "run", lane: lr.lane.name, source: "default", index: p.index, runner, attempt, rotatedFrom, warnings: [], persist };
}

/** Choose the lane for this run and the runner it serves next. Routing dead ends throw RallyError. */
export function select(state: RouterState, req: SelectRequest): Selection {
  const names = [...state.lanes.values()].map((l) => l.lane.name).filter((n) => !(state.override && n === OVERRIDE_LANE));
  const choice = chooseLane({ lanes: names, override: state.override, lapsMode: req.lapsMode, assignee: req.assignee });
  const lr = state.lanes.get(choice.lane.toLowerCase())!;
  const sel = pickFromLane(state, lr, (req.assignee ?? "").trim(), req.now);
  const warnings = choice.warning ? [choice.warning] : [];
  return sel.kind === "run" ? { ...sel, source: choice.source, warnings } : { ...sel, warnings };
}

function laneOf(state: RouterState, sel: RunSelection): LaneRuntime {
  return state.lanes.get(sel.lane.toLowerCase())!;
}

/** A successful run; also lifts a mid-run freeze bench. */
export function onSuccess(state: RouterState, sel: RunSelection): void {
  recoverEntry(laneOf(state, sel).sched, sel.index);
}

/** A failed run (retry budget used, or terminal): skip this entry until the lane wraps. */
export function onFailure(state: RouterState, sel: RunSelection, now: number): void {
  failEntry(laneOf(state, sel).sched, sel.index, false);
  // A failed hourly retry waits another hour instead of being retried on every iteration.
  if (sel.attempt === "hourly-retry") applyStatusEvent(state.book, { key: sel.runner.key, event: "paused", at: now });
}

/** Ctrl+S or a `rotate` pattern: move on, with no pause or bench bookkeeping. */
export function onSkip(state: RouterState, sel: RunSelection): void {
  const sched = laneOf(state, sel).sched;
  sched.slots[sel.index]!.exhausted = true;
  // Skipping the last runner standing must not end the relay: start a new pass instead.
  if (!sched.slots.some((_, i) => isSelectable(sched, i))) {
    for (const slot of sched.slots) {
      if (slot.benched) continue;
      slot.exhausted = false;
      slot.runs = 0;
    }
  }
}

/** The stall detector froze the run: bench the entry now (the run's final outcome overrides). */
export function onFreeze(state: RouterState, sel: RunSelection): void {
  failEntry(laneOf(state, sel).sched, sel.index, true);
}

/** Runners of every lane: lane name as role, except the running lane's effective role. */
function everyRunner(state: RouterState, running?: { lane: string; role: string }): Runner[] {
  const out: Runner[] = [];
  for (const lr of state.lanes.values()) {
    const isRunning = running && running.role && running.lane.toLowerCase() === lr.lane.name.toLowerCase();
    const role = isRunning ? running.role : lr.lane.name;
    lr.lane.entries.forEach((e, i) => {
      if (e.kind === "agent") out.push(runnerAt(state, lr, i, role)!);
    });
  }
  return out;
}

/** Bench every key of `scope` in every lane until `until`; returns the events to persist. */
export function benchScope(state: RouterState, scope: string, until: number, now: number, running?: { lane: string; role: string }): StatusEvent[] {
  const out: StatusEvent[] = [];
  const seen = new Set<string>();
  for (const r of everyRunner(state, running)) {
    if (r.quotaScope !== scope || seen.has(keyId(r.key))) continue;
    seen.add(keyId(r.key));
    persistEvent(state, { key: r.key, event: "benched", at: now, until, quota_scope: scope }, out);
  }
  return out;
}

/** Ctrl+S during a wait: every paused or benched key becomes active; returns the events to persist. */
export function forceUnpause(state: RouterState, now: number): StatusEvent[] {
  const out: StatusEvent[] = [];
  for (const id of [...state.book.keys()]) {
    const [harness, model] = id.split("\u0000") as [string, string];
    const st = statusAt(state.book, { harness, model }, now);
    if (st.kind === "paused" || st.kind === "benched") persistEvent(state, { key: { harness, model }, event: "active", at: now }, out);
  }
  return out;
}

/** The same operations bound to one state, for the engine's convenience. */
export function createRouter(opts: RouterOptions) {
  const state = createRouterState(opts);
  return {
    state,
    select: (req: SelectRequest) => select(state, req),
    onSuccess: (sel: RunSelection) => onSuccess(state, sel),
    onFailure: (sel: RunSelection, now: number) => onFailure(state, sel, now),
    onSkip: (sel: RunSelection) => onSkip(state, sel),
    onFreeze: (sel: RunSelection) => onFreeze(state, sel),
    bench: (scope: string, until: number, now: number, running?: { lane: string; role: string }) =>
      benchScope(state, scope, until, now, running),
    /** Pause a key (default: one hour from `at`); persist the returned event. */
    pause(key: AgentKey, at: number, until = at + PAUSE_MS): StatusEvent {
      const e: StatusEvent = { key, event: "paused", at, until };
      applyStatusEvent(state.book, e);
      return e;
    },
    forceUnpause: (now: number) => forceUnpause(state, now),
    /** Take a key out for the rest of this relay: it is not run again, nor waited for. */
    sideline: (key: AgentKey) => void state.sidelined.add(keyId(key)),
    /** Feed an event the engine persisted itself (active after a retry, frozen, retry_failed, ...). */
    record: (e: StatusEvent) => applyStatusEvent(state.book, e),
    status: (key: AgentKey, now: number) => statusAt(state.book, key, now),
  };
}
export type Router = ReturnType<typeof createRouter>;
