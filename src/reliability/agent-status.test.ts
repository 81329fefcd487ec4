import { describe, expect, test } from "bun:test";
import {
  type AgentStatusEvent,
  type AgentStatusEventType,
  buildStatusEvent,
  retryFailedStreak,
} from "./agent-status.ts";

// The retry_failed streak that decides when hourly retries freeze a key (spec 04 §4.2).

const NOW = Date.parse("2026-11-25T10:00:00Z");
const M = 60_000;
const H = 60 * M;
const KEY = { harness: "codex", model: "gpt-5.5" };

const ev = (type: AgentStatusEventType, agoMs: number, resetAt?: number, key = KEY): AgentStatusEvent =>
  buildStatusEvent(key, type, NOW - agoMs, { resetAt });

describe("streaks", () => {
  test("retry_failed streak counts back to the last active/frozen/probation; paused does not stop it", () => {
    const events = [ev("active", 9 * H), ev("retry_failed", 8 * H), ev("paused", 7 * H), ev("retry_failed", 6 * H), ev("retry_failed", 5 * H)];
    expect([retryFailedStreak(events, KEY), retryFailedStreak([...events, ev("probation", H)], KEY)]).toEqual([3, 0]);
  });
});
