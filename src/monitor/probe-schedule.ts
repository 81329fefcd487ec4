// When to run the opt-in liveness probe (spec 04 §7, restated without the 0.10 defects): only on
// ambiguous ticks, at most one probe in flight, the next one no sooner than a window after the
// last one ended, and never without a session id (a probe that cannot ask is not a failed probe).
// Pure: the caller launches the probe it is told to, in the background, and hands the outcome to
// settle(); the next tick acts on it, so a sampler tick never waits for a probe.
import type { Clock } from "../sys/clock.ts";

export type ProbeOutcome =
  | { status: "alive"; ms: number }
  /** The agent did not answer as asked: a wrong answer, a failed exit, or no answer in time. */
  | { status: "dead"; why: string; ms: number }
  /** The probe itself could not run (e.g. the CLI could not be started): says nothing about the agent. */
  | { status: "inconclusive"; why: string; ms: number };

/** `alive (1.4s)`, `dead (answered "NOPE")`, `inconclusive (could not start "codex": …)`. */
export function describeProbeOutcome(o: ProbeOutcome): string {
  return o.status === "alive" ? `alive (${(o.ms / 1000).toFixed(1)}s)` : `${o.status} (${o.why})`;
}

export type ProbeAction =
  /** Launch one probe of this session now, without waiting for it. */
  | { kind: "start"; sessionId: string }
  /** A probe ended: report it. */
  | { kind: "outcome"; outcome: ProbeOutcome }
  /** The probe found the agent dead: stop it as frozen. Given at most once. */
  | { kind: "stop"; reason: string };

export interface ProbeTick {
  /** The freeze detector's ambiguity for this tick. */
  ambiguous: boolean;
  /** The session id the harness parser has captured so far, if any. */
  sessionId?: string;
}

export interface ProbeScheduler {
  tick(t: ProbeTick): ProbeAction[];
  /** The outcome of the probe the last "start" asked for; anything else is ignored. */
  settle(outcome: ProbeOutcome): void;
}

export interface ProbeSchedulerOptions {
  /** The ambiguity window: also the least time between the end of one probe and the next. */
  windowMs: number;
  clock: Pick<Clock, "now">;
}

export function createProbeScheduler(opts: ProbeSchedulerOptions): ProbeScheduler {
  let inFlight = false;
  let pending: ProbeOutcome | undefined;
  let nextAt = Number.NEGATIVE_INFINITY;
  let done = false;
  return {
    tick({ ambiguous, sessionId }) {
      if (done) return [];
      const actions: ProbeAction[] = [];
      if (pending) {
        const outcome = pending;
        pending = undefined;
        actions.push({ kind: "outcome", outcome });
        if (outcome.status === "dead") {
          done = true;
          return [...actions, { kind: "stop", reason: `liveness probe failed: ${outcome.why}` }];
        }
      }
      if (ambiguous && sessionId && !inFlight && opts.clock.now() >= nextAt) {
        inFlight = true;
        actions.push({ kind: "start", sessionId });
      }
      return actions;
    },
    settle(outcome) {
      if (!inFlight || done) return;
      inFlight = false;
      pending = outcome;
      nextAt = opts.clock.now() + opts.windowMs;
    },
  };
}
