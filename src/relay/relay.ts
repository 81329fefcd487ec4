import { buildProviderIndex, buildRoster, createRouter, rosterFromLabel, type Roster, type Router, type RunSelection, type StatusEvent } from "../routing/index.ts";
import { isoSeconds, type RelayRecord, type TryRecord } from "../state/schema.ts";
import type { Store } from "../state/store.ts";
import type { RelayContext } from "./context.ts";
import { claimLapForRun, type LapRun } from "./laps-loop.ts";
import { runOne, type RunResult, type Task } from "./run.ts";
import { recoverCrashedRun } from "./recover.ts";
import { applyRunResilience } from "./resilience.ts";
import { toRoutingEvent, toStoreEvent } from "./status-events.ts";

// The relay loop: pick a runner, run it, record, rotate — until the target is reached, the
// operator stops, or routing runs out of runners.

export type StartDecision =
  | { kind: "new"; target: number; closePrevious: boolean; resetStatus: boolean }
  | { kind: "resume"; overwriteRoster: boolean; target: number };

export interface RelayPlan {
  start: StartDecision;
  flags: { agent: string[]; mix: string[] };
  task: Task;
}

export interface RelayOutcome {
  ok: boolean;
  /** The relay ended on an error: `message` is for the caller to report once, as the command's error. */
  failed: boolean;
  message: string;
  relay: RelayRecord;
}

type Ctx = Omit<RelayContext, "relay" | "log"> & { openLog(relayId: number): (line: string) => void };

/** Create or resume the relay record the plan asks for; returns it with its roster. */
export function openRelay(ctx: Ctx, plan: RelayPlan): { relay: RelayRecord; roster: Roster; resumed: boolean } {
  const { store, config, clock } = ctx;
  if (plan.start.kind === "new") {
    const prev = store.lastRelay();
    if (plan.start.closePrevious && prev && !prev.ended_at) store.updateRelay({ ...prev, ended_at: isoSeconds(clock.now()) });
    if (plan.start.resetStatus) store.resetAgentStatus();
  } else {
    const open = [...store.relays].reverse().find((r) => !r.ended_at && r.completed_iterations < r.target_iterations);
    if (open) {
      const roster = plan.start.overwriteRoster ? buildRoster(config, plan.flags) : rosterFromLabel(open.agent_mix, config);
      if (roster.label !== open.agent_mix) store.updateRelay({ ...open, agent_mix: roster.label });
      return { relay: store.relayById(open.id)!, roster, resumed: true };
    }
  }
  const roster = buildRoster(config, plan.flags);
  const relay = store.createRelay({
    target_iterations: plan.start.target,
    completed_iterations: 0,
    agent_mix: roster.label,
    started_at: isoSeconds(clock.now()),
  });
  return { relay, roster, resumed: false };
}

export async function runRelay(base: Ctx, plan: RelayPlan): Promise<RelayOutcome> {
  const started = base.clock.now();
  recoverCrashedRun(base.store, base.clock.now(), base.events, base.laps !== undefined);
  const opened = openRelay(base, plan);
  let relay = opened.relay;
  const log = base.openLog(relay.id);
  const ctx: RelayContext = { ...base, relay, log };
  opened.roster.warnings.forEach((w) => ctx.events.warn(w));
  log(`relay ${relay.id} started (target ${relay.target_iterations} iterations, mix: ${relay.agent_mix})`);
  ctx.events.relayStarted({ relay, resumed: opened.resumed, mixLabel: relay.agent_mix });

  const providers = buildProviderIndex(ctx.config).index;
  const router = createRouter({ config: ctx.config, roster: opened.roster, statusEvents: ctx.store.agentStatus.map(toRoutingEvent), providers });
  const persist = (events: StatusEvent[]) => events.forEach((e) => ctx.store.appendAgentStatus(toStoreEvent(e, relay.id)));
  let runIndex = relay.completed_iterations;
  let message = "";
  let ok = true;
  let failed = false;
  const routing = { lanes: [...router.state.lanes.values()].map((l) => l.lane.name), override: router.state.override };

  while (relay.completed_iterations < relay.target_iterations) {
    if (ctx.control.signal.aborted || ctx.control.stopRequested()) {
      log(`relay ${relay.id} stop requested, halting`);
      message = "Relay stopped; resume it with `rally relay --resume`.";
      ok = false;
      break;
    }
    // Laps mode: every run claims the head lap; an empty queue is the relay's natural end.
    const claim = ctx.laps ? await claimLapForRun({ ...ctx, relay }, runIndex + 1, routing) : undefined;
    if (claim?.kind === "stop") {
      if (claim.closeRelay) relay = close(ctx.store, relay, ctx.clock.now());
      ({ message, ok } = claim);
      failed = !ok;
      break;
    }
    const lap = claim?.lap;
    const sel = router.select({ now: ctx.clock.now(), lapsMode: !!ctx.laps, assignee: lap?.role });
    persist(sel.persist);
    sel.warnings.forEach((w) => ctx.events.warn(w));
    if (sel.kind === "end") {
      log(`relay ${relay.id} failed: ${sel.reason}`);
      relay = close(ctx.store, relay, ctx.clock.now());
      message = `relay failed: ${sel.reason}${lastFailure(ctx.store.triesOfRelay(relay.id))}`;
      ok = false;
      failed = true;
      break;
    }
    if (sel.kind === "wait") {
      log(`relay ${relay.id} ${sel.reason}`);
      ctx.events.waiting({ ms: sel.ms, reason: sel.reason });
      await ctx.clock.sleep(sel.ms, ctx.control.signal);
      continue;
    }
    if (sel.rotatedFrom) log(`relay ${relay.id} route fallback: rotated ${sel.rotatedFrom} -> ${sel.runner.harness}`);
    announceRun(ctx, relay, sel, runIndex, lap);
    const run = await runOne({ ...ctx, relay }, sel, { ...plan.task, lap }, runIndex + 1);
    if (run.cancelled === "graceful_stop" || run.cancelled === "quit_now") {
      log(`relay ${relay.id} stop requested, halting`);
      message = "Relay stopped; resume it with `rally relay --resume`.";
      ok = false;
      break;
    }
    relay = recordRun({ ...ctx, relay }, router, sel, run, runIndex + 1);
    runIndex++;
  }
  if (relay.completed_iterations >= relay.target_iterations && !relay.ended_at) {
    relay = close(ctx.store, relay, ctx.clock.now());
    log(`relay ${relay.id} completed`);
    message = "Relay complete.";
  }
  ctx.events.relayEnded({ relay, tries: ctx.store.triesOfRelay(relay.id), message, ok, failed, elapsedMs: ctx.clock.now() - started });
  return { ok, failed, message, relay };
}

/** Why the last failed try failed, in its own words (they carry the fix: "install it or fix PATH"). */
function lastFailure(tries: TryRecord[]): string {
  const t = tries.findLast((x) => !x.completed);
  if (!t) return "";
  const why = [t.fail_reason, t.summary?.split("\n")[0]?.trim()].filter(Boolean).join(": ");
  return why ? ` (last try: ${t.agent_type}, ${why})` : "";
}

/** Report the run to routing and resilience, count it, and persist the relay record. */
function recordRun(ctx: RelayContext, router: Router, sel: RunSelection, run: RunResult, runId: number): RelayRecord {
  if (run.cancelled === "skip") router.onSkip(sel);
  else if (run.frozen) router.onFreeze(sel);
  else if (run.ok) router.onSuccess(sel);
  else router.onFailure(sel, ctx.clock.now());
  if (!run.cancelled) applyRunResilience(ctx, router, sel, run, runId);
  let relay = ctx.relay;
  if (run.ok) relay = { ...relay, completed_iterations: relay.completed_iterations + 1 };
  const lastId = run.lastTry?.id ?? relay.last_try_id;
  relay = { ...relay, last_try_id: lastId, first_try_id: relay.first_try_id ?? lastId };
  ctx.store.updateRelay(relay);
  return relay;
}

/** The run header: `run k/target` without laps; with laps the lap and `laps: <n>/<n + queue>` (spec 05 §4.4). */
function announceRun(ctx: RelayContext, relay: RelayRecord, sel: RunSelection, runIndex: number, lap?: LapRun): void {
  if (lap) ctx.events.note(`lap ${lap.id}: ${lap.title}${lap.role ? ` (${lap.role})` : ""}`);
  const counter = lap
    ? { index: runIndex + 1, target: runIndex + Math.max(1, lap.remaining) }
    : { index: relay.completed_iterations + 1, target: relay.target_iterations };
  ctx.events.runHeader({ ...counter, harness: sel.runner.harness, model: sel.runner.model, lane: sel.lane });
}

function close(store: Store, relay: RelayRecord, now: number): RelayRecord {
  const closed = { ...relay, ended_at: isoSeconds(now) };
  store.updateRelay(closed);
  return closed;
}
