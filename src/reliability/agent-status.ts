import { z } from "../zod.ts";

// agent_status.jsonl: the cross-relay resilience log (spec 05 §2.4, spec 04 §4.2–4.4). This file
// owns the record shape, the builders the pause rule uses, and the pure replay to a state.

// The record shape is state's (state/schema.ts owns every persisted record); re-exported here
// because the pause rule and replay below speak in it.
export { AgentStatusEvent, AgentStatusEventType } from "../state/schema.ts";
import { isoSeconds, type AgentStatusEvent, type AgentStatusEventType } from "../state/schema.ts";

/** A resilience key: one harness with one model. */
export interface AgentKey {
  readonly harness: string;
  readonly model: string;
}

export const AgentState = z.enum(["active", "paused", "frozen", "probation", "benched"]);
export type AgentState = z.infer<typeof AgentState>;

/** Consecutive failed hourly retries that freeze a key. */
export const HOURLY_RETRIES_BEFORE_FREEZE = 5;

export const STATUS_REASONS = {
  hourlyRetryFailed: "hourly retry failed",
  hourlyRetrySucceeded: "hourly retry succeeded",
  hourlyThreshold: "hourly retry threshold reached",
  probationFailed: "probation run failed",
  probationSucceeded: "probation run succeeded",
  freezeDecayed: "freeze decayed to probation",
  usageLimit: "usage limit reached",
  forceUnpaused: "skip pressed during wait",
  truncationSummary: "truncation summary",
} as const;

/** RFC3339 UTC with second precision, as the file stores it. */
export const formatStatusTimestamp = isoSeconds;

export interface StatusEventOptions {
  readonly relayId?: number;
  readonly reason?: string;
  readonly resetAt?: number;
  readonly quotaScope?: string;
}

export function buildStatusEvent(
  key: AgentKey,
  type: AgentStatusEventType,
  now: number,
  opts: StatusEventOptions = {},
): AgentStatusEvent {
  return {
    agent_type: key.harness,
    ...(key.model ? { model: key.model } : {}),
    event_type: type,
    timestamp: formatStatusTimestamp(now),
    ...(opts.relayId !== undefined ? { relay_id: opts.relayId } : {}),
    ...(opts.reason ? { reason: opts.reason } : {}),
    ...(opts.resetAt !== undefined ? { reset_at: formatStatusTimestamp(opts.resetAt) } : {}),
    ...(opts.quotaScope ? { quota_scope: opts.quotaScope } : {}),
  };
}

function isKeyEvent(e: AgentStatusEvent, key: AgentKey): boolean {
  return e.agent_type === key.harness && (e.model ?? "") === key.model;
}

/** Consecutive `retry_failed` from the end, stopping at active/frozen/probation (paused does not stop it). */
export function retryFailedStreak(events: readonly AgentStatusEvent[], key: AgentKey): number {
  let streak = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (!e || !isKeyEvent(e, key)) continue;
    if (e.event_type === "retry_failed") streak++;
    else if (e.event_type === "active" || e.event_type === "frozen" || e.event_type === "probation") break;
  }
  return streak;
}
