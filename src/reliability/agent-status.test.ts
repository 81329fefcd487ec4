import { describe, expect, test } from "bun:test";
import {
  type AgentStatusEvent,
  type AgentStatusEventType,
  buildStatusEvent,
  quotaScope,
  replayAgentState,
  retryFailedStreak,
  waitUntilSelectable,
} from "./agent-status.ts";

// Spec 04 §4.2 replay and §14.5 end states, from the key's point of view.

const NOW = Date.parse("2026-11-25T10:00:00Z");
const M = 60_000;
const H = 60 * M;
const KEY = { harness: "codex", model: "gpt-5.5" };

const ev = (type: AgentStatusEventType, agoMs: number, resetAt?: number, key = KEY): AgentStatusEvent =>
  buildStatusEvent(key, type, NOW - agoMs, { resetAt });

describe("replayAgentState", () => {
  test.each([
    ["no events → active", [], "active"],
    ["paused 10 min ago → paused (E3)", [ev("paused", 10 * M)], "paused"],
    ["retry_failed reads as paused", [ev("paused", 2 * H), ev("retry_failed", 5 * M)], "paused"],
    ["frozen 1 h ago → frozen (E1)", [ev("frozen", H)], "frozen"],
    ["frozen 6 h ago decays to probation (E2)", [ev("frozen", 6 * H)], "probation"],
    ["benched until +3 h → benched (E4)", [ev("benched", 0, NOW + 3 * H)], "benched"],
    ["bench passed → active, one re-probe (E7.1)", [ev("benched", 2 * H, NOW - M)], "active"],
    ["a fresh bench after the re-probe (E7.2)", [ev("benched", 2 * H, NOW - M), ev("benched", 0, NOW + 5 * H)], "benched"],
    ["unfrozen reads as active", [ev("frozen", H), ev("unfrozen", 0)], "active"],
    ["other keys are ignored", [ev("paused", M, undefined, { harness: "codex", model: "other" })], "active"],
    ["unparsable timestamps are skipped", [{ ...ev("paused", M), timestamp: "yesterday" }], "active"],
  ] as Array<[string, AgentStatusEvent[], string]>)("%s", (_name, events, state) => {
    expect(replayAgentState(events, KEY, NOW).state).toBe(state as never);
  });

  test("an empty model is a key like any other (0.10 never paused it, spec 04 §12.11)", () => {
    const key = { harness: "claude", model: "" };
    expect(replayAgentState([buildStatusEvent(key, "paused", NOW)], key, NOW).state).toBe("paused");
  });
});

describe("waits and streaks", () => {
  test("paused waits out the hour, benched waits for its reset (E3, E4)", () => {
    const paused = replayAgentState([ev("paused", 10 * M)], KEY, NOW);
    const benched = replayAgentState([ev("benched", 0, NOW + 3 * H)], KEY, NOW);
    const pausedLong = replayAgentState([ev("paused", 30 * M)], KEY, NOW);
    expect([waitUntilSelectable(paused, NOW), waitUntilSelectable(benched, NOW), Math.min(waitUntilSelectable(benched, NOW), waitUntilSelectable(pausedLong, NOW))]).toEqual([
      50 * M,
      3 * H,
      30 * M,
    ]);
  });

  test("retry_failed streak counts back to the last active/frozen/probation; paused does not stop it", () => {
    const events = [ev("active", 9 * H), ev("retry_failed", 8 * H), ev("paused", 7 * H), ev("retry_failed", 6 * H), ev("retry_failed", 5 * H)];
    expect([retryFailedStreak(events, KEY), retryFailedStreak([...events, ev("probation", H)], KEY)]).toEqual([3, 0]);
  });
});

describe("quotaScope (spec 04 §4.3)", () => {
  test.each([
    ["antigravity", "Gemini 3.5 Flash (High)", "antigravity:flash"],
    ["antigravity", "Claude Sonnet 4.6", "antigravity:claude"],
    ["antigravity", "Gemini 3 Pro", "antigravity:pro"],
    ["antigravity", "GPT-OSS", "antigravity:gpt-oss"],
    ["opencode", "opencode-go/kimi-k2.6", "opencode:opencode-go"],
    ["opencode", "Zai/glm-5", "opencode:Zai"],
    ["opencode", "local", "opencode:local"],
    ["claude", "opus", "claude"],
    ["mycode", "x", "mycode"],
  ])("%s %s → %s", (harness, model, scope) => expect(quotaScope(harness, model)).toBe(scope));
});
