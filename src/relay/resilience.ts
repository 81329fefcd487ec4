import { benchUntil, CATEGORY_POLICY, cooldownFor, labelOfCategory, resilienceEventsAfterRun, retryFailedStreak, type RunMode } from "../reliability/index.ts";
import type { Router, RunSelection } from "../routing/index.ts";
import { isoSeconds } from "../state/schema.ts";
import type { RelayContext } from "./context.ts";
import { toRoutingEvent, toStoreEvent } from "./status-events.ts";
import type { RunResult } from "./run.ts";

// What a finished run does to its runner's standing: a usage limit benches the whole quota scope
// (across every lane) until the reset; a short rate limit or overload cools just that runner down
// so the relay rotates instead of waiting; repeated infra failures pause it (seed 2g); a failure
// no wait can fix (credentials, a proxy) also sidelines it for the rest of the relay.

const PAST_RESET_BENCH_MS = 60_000;

const MODES: Record<RunSelection["attempt"], RunMode> = { normal: "normal", "hourly-retry": "hourly_retry", probation: "probation" };

/** Why routing picked this runner, in reliability's terms (normal, hourly retry, probation). */
export const runModeOf = (sel: RunSelection): RunMode => MODES[sel.attempt];

export function applyRunResilience(ctx: RelayContext, router: Router, sel: RunSelection, run: RunResult, runId: number): void {
  const now = ctx.clock.now();
  const key = sel.runner.key;
  const c = run.verdict?.classification;
  if (run.frozen) {
    // A frozen agent sits out (freezes decay to a probation run after 5 h); if every agent of
    // the lane froze, routing ends the relay with "all agents frozen".
    const event = { key, event: "frozen" as const, at: now };
    router.record(event);
    ctx.store.appendAgentStatus({ ...toStoreEvent(event, ctx.relay.id), reason: "freeze detected" });
    return;
  }
  if (c?.category === "usage_limit") {
    // CLIs print resets to the minute ("try again at 3:45 AM" for 03:45:32), so a reset under a
    // minute away can parse as already past: then bench for a minute and re-probe.
    const reset = benchUntil(c.resetAt ?? (c.resetAfterMs ? now + c.resetAfterMs : undefined), now);
    const until = reset > now ? reset : now + PAST_RESET_BENCH_MS;
    const events = router.bench(sel.runner.quotaScope, until, now, { lane: sel.lane, role: "" });
    events.forEach((e) => ctx.store.appendAgentStatus({ ...toStoreEvent(e, ctx.relay.id), reason: "usage limit reached" }));
    ctx.log(`relay ${ctx.relay.id} run ${runId} benched quota scope "${sel.runner.quotaScope}" until ${isoSeconds(until)} (${events.length} key(s))`);
    return;
  }
  const events = resilienceEventsAfterRun({
    key,
    mode: runModeOf(sel),
    succeeded: run.ok,
    classes: run.failureClasses as ("infra" | "agent" | "incomplete")[],
    currentState: router.status(key, now).kind,
    retryFailedStreak: retryFailedStreak(ctx.store.agentStatus, key),
    now,
    relayId: ctx.relay.id,
  });
  for (const e of events) {
    ctx.store.appendAgentStatus(e);
    router.record(toRoutingEvent(e));
    if (e.event_type === "paused") ctx.events.warn(`${sel.runner.harness}${key.model ? ` (${key.model})` : ""} paused: ${e.reason}`);
  }
  if (c && !run.ok && CATEGORY_POLICY[c.category].sidelines) {
    router.sideline(key);
    const who = `${sel.runner.harness}${key.model ? ` (${key.model})` : ""}`;
    ctx.log(`relay ${ctx.relay.id} run ${runId} ${who} sidelined for this relay: ${labelOfCategory(c.category)}`);
    ctx.events.warn(`${who} is out for this relay: ${labelOfCategory(c.category)} (check its login, API key or proxy; see the try log)`);
    return;
  }
  const cooldown = c ? cooldownFor(c) : 0;
  if (cooldown > 0 && router.status(key, now).kind === "active") {
    // In memory only: a cooldown is not a pause, it just lets the relay rotate meanwhile.
    router.pause(key, now, now + cooldown);
    ctx.log(`relay ${ctx.relay.id} run ${runId} ${sel.runner.harness} cooling down for ${Math.round(cooldown / 1000)}s (${c!.category})`);
  }
}
