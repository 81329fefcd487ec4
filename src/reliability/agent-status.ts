import { z } from "zod";

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

/** How long a `paused` key sits out before its hourly retry. */
export const PAUSE_DURATION_MS = 3_600_000;
/** How long a `frozen` key sits out before it decays to probation. */
export const FREEZE_DECAY_MS = 5 * 3_600_000;
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

export interface AgentStateInfo {
  readonly state: AgentState;
  /** paused/frozen: when it started, epoch ms. */
  readonly since?: number;
  /** benched: when the quota resets, epoch ms. */
  readonly resetAt?: number;
}

const NEXT_STATE: Record<AgentStatusEventType, AgentState> = {
  paused: "paused",
  retry_failed: "paused",
  frozen: "frozen",
  probation: "probation",
  benched: "benched",
  active: "active",
  unfrozen: "active",
};

/**
 * Replay the key's events in file order (spec 04 §4.2). Events with an unparsable timestamp
 * are skipped. A freeze older than 5 h reads as probation; a bench whose reset passed reads
 * as active (one re-probe; a repeat limit appends a fresh bench).
 */
export function replayAgentState(events: readonly AgentStatusEvent[], key: AgentKey, now: number): AgentStateInfo {
  let info: AgentStateInfo = { state: "active" };
  for (const e of events) {
    const at = Date.parse(e.timestamp);
    if (!isKeyEvent(e, key) || Number.isNaN(at)) continue;
    const state = NEXT_STATE[e.event_type];
    const resetAt = e.reset_at === undefined ? undefined : Date.parse(e.reset_at);
    info = state === "benched" ? { state, since: at, resetAt } : { state, since: at };
  }
  if (info.state === "frozen" && info.since !== undefined && now >= info.since + FREEZE_DECAY_MS) {
    return { state: "probation", since: info.since };
  }
  if (info.state === "benched" && info.resetAt !== undefined && !Number.isNaN(info.resetAt) && now >= info.resetAt) {
    return { state: "active" };
  }
  return info;
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

/** How long until a paused or benched key is selectable again; 0 for anything else. */
export function waitUntilSelectable(info: AgentStateInfo, now: number): number {
  if (info.state === "paused" && info.since !== undefined) return Math.max(0, info.since + PAUSE_DURATION_MS - now);
  if (info.state === "benched" && info.resetAt !== undefined) return Math.max(0, info.resetAt - now);
  return 0;
}

/**
 * The quota a usage limit exhausts (spec 04 §4.3): antigravity models share a family quota,
 * opencode models share their provider's; every other harness has one quota per account.
 */
export function quotaScope(harness: string, model: string): string {
  if (harness === "antigravity") {
    const label = model.toLowerCase();
    const family = ["claude", "flash", "pro"].find((f) => label.includes(f));
    return `antigravity:${family ?? label}`;
  }
  if (harness === "opencode") {
    const slash = model.indexOf("/");
    return `opencode:${slash >= 0 ? model.slice(0, slash) : model}`;
  }
  return harness;
}
