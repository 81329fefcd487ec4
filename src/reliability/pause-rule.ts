import type { FailureClass } from "./categories.ts";
import {
  type AgentKey,
  type AgentState,
  type AgentStatusEvent,
  buildStatusEvent,
  HOURLY_RETRIES_BEFORE_FREEZE,
  STATUS_REASONS,
} from "./agent-status.ts";
import type { RunMode } from "./strategy.ts";

// Which agent_status events a finished run writes (spec 04 §4.1f, seed §2g). The pause rule:
// a run pauses its key only when it failed, its last classified try was infra, and more than
// one of its tries was infra. A plain agent failure never pauses; the scheduler just rotates.

export interface RunFailureHistory {
  readonly succeeded: boolean;
  /** Class of every classified try of the run, in order (timeouts count as agent). */
  readonly classes: readonly FailureClass[];
}

export function countInfraFailures(classes: readonly FailureClass[]): number {
  return classes.filter((c) => c === "infra").length;
}

/** The pause rule. With retry_budget = 1 it can never fire. */
export function shouldPause(run: RunFailureHistory): boolean {
  return !run.succeeded && run.classes.at(-1) === "infra" && countInfraFailures(run.classes) > 1;
}

export interface RunResilienceInput extends RunFailureHistory {
  readonly key: AgentKey;
  readonly mode: RunMode;
  /** The key's replayed state before this run (routing replays agent_status.jsonl). */
  readonly currentState: AgentState;
  /** Consecutive failed hourly retries before this run (see retryFailedStreak). */
  readonly retryFailedStreak: number;
  readonly now: number;
  readonly relayId?: number;
}

function probationEvents(input: RunResilienceInput): AgentStatusEvent[] {
  const { key, now, relayId } = input;
  if (input.succeeded || input.classes.at(-1) === "incomplete") {
    return [buildStatusEvent(key, "active", now, { relayId, reason: STATUS_REASONS.probationSucceeded })];
  }
  if (input.currentState === "frozen") return [];
  return [buildStatusEvent(key, "frozen", now, { relayId, reason: STATUS_REASONS.probationFailed })];
}

function hourlyRetryEvents(input: RunResilienceInput): AgentStatusEvent[] {
  const { key, now, relayId } = input;
  if (input.succeeded) {
    if (input.currentState === "active") return [];
    return [buildStatusEvent(key, "active", now, { relayId, reason: STATUS_REASONS.hourlyRetrySucceeded })];
  }
  // A non-infra failure writes nothing: the expired pause makes the key eligible again at once.
  if (!shouldPause(input)) return [];
  const failed = buildStatusEvent(key, "retry_failed", now, { relayId, reason: STATUS_REASONS.hourlyRetryFailed });
  if (input.retryFailedStreak + 1 < HOURLY_RETRIES_BEFORE_FREEZE || input.currentState === "frozen") return [failed];
  return [failed, buildStatusEvent(key, "frozen", now, { relayId, reason: STATUS_REASONS.hourlyThreshold })];
}

/** agent_status events to append after a run of `key` (usage-limit benches are separate). */
export function resilienceEventsAfterRun(input: RunResilienceInput): AgentStatusEvent[] {
  if (input.mode === "probation") return probationEvents(input);
  if (input.mode === "hourly_retry") return hourlyRetryEvents(input);
  if (!shouldPause(input) || input.currentState !== "active") return [];
  const reason = `${countInfraFailures(input.classes)} infra failures in one run`;
  return [buildStatusEvent(input.key, "paused", input.now, { relayId: input.relayId, reason })];
}
