import { z } from "../zod.ts";

// Records rally persists under `.rally/state/` and `.rally/summary.jsonl` (spec 05 §2).
// Readers accept records without `v` (written before versioning) as version 1.

const ts = z.string();
const int = z.number().check(z.int());
const positiveInt = int.check(z.positive());
const nonNegativeInt = int.check(z.nonnegative());
const version = z._default(z.literal(1), 1);

export const TryOutcome = z.enum([
  "completed",
  "handoff_requested",
  "incomplete",
  "run_timeout",
  "handoff_timeout",
  "failed",
  "interrupted",
  "cancelled",
]);
export type TryOutcome = z.infer<typeof TryOutcome>;

export const TokenUsage = z.object({
  input_tokens: z.optional(nonNegativeInt),
  output_tokens: z.optional(nonNegativeInt),
  cache_read_tokens: z.optional(nonNegativeInt),
  cache_write_tokens: z.optional(nonNegativeInt),
  reasoning_tokens: z.optional(nonNegativeInt),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const TryRecord = z.object({
  v: version,
  id: positiveInt,
  run_id: int,
  relay_id: int,
  agent_type: z.string(),
  model: z.optional(z.string()),
  completed: z.boolean(),
  outcome: z.optional(TryOutcome),
  cancellation_source: z.optional(z.enum(["skip", "graceful_stop", "quit_now"])),
  handoff_only: z.optional(z.boolean()),
  resolved_route: z.optional(z.string()),
  summary: z._default(z.string(), ""),
  remaining_work: z._default(z.string(), ""),
  files_changed: z._default(z.nullable(z.array(z.string())), null),
  commit_hash: z._default(z.string(), ""),
  commit_history: z.optional(z.array(z.string())),
  started_at: ts,
  ended_at: ts,
  attempt_number: positiveInt,
  log_path: z.optional(z.string()),
  fail_reason: z.optional(z.string()),
  category: z.optional(z.string()),
  runtime_ms: z.optional(nonNegativeInt),
  exit_code: z.optional(z.nullable(int)),
  session_id: z.optional(z.string()),
  tool_calls: z.optional(nonNegativeInt),
  usage: z.optional(TokenUsage),
  cost_usd: z.optional(z.number().check(z.nonnegative())),
  lap_id: z.optional(z.string()),
  lap_assignee: z.optional(z.string()),
  recorded_laps: z.optional(z.array(z.string())),
  /** Every `laps done` / `laps handoff` observation of the run (from run-state). */
  laps_attempted: z.optional(z.array(z.object({ lap_id: z.string(), timestamp: z.string() }))),
  /** A durable handoff recorded while the try's own changes were still uncommitted. */
  dirty_handoff: z.optional(z.boolean()),
  /** The recovery role's verdict (`continue`, `discard`, `course_correct`, `repair_plan`, `needs_user`). */
  recovery_classification: z.optional(z.string()),
  /** Lap ids created from this run's handoff followups. */
  handoff_created_lap_ids: z.optional(z.array(z.string())),
});
export type TryRecord = z.infer<typeof TryRecord>;
export type TryRecordInput = z.input<typeof TryRecord>;

export const RelayRecord = z.object({
  v: version,
  id: positiveInt,
  target_iterations: nonNegativeInt,
  completed_iterations: nonNegativeInt,
  /** `__routes__`, `__override__:<specs>`, or a legacy mix label (spec 05 §2.2). */
  agent_mix: z.string(),
  started_at: ts,
  ended_at: z.optional(ts),
  first_try_id: z.optional(int),
  last_try_id: z.optional(int),
  consumed_message_ids: z.optional(z.array(int)),
});
export type RelayRecord = z.infer<typeof RelayRecord>;

export const MessageRecord = z.object({
  id: int,
  body: z.string(),
  status: z.enum(["pending", "addressed", "cancelled"]),
  position: int,
  scope: z._default(z.string(), "run"),
  created_at: ts,
  updated_at: ts,
  consumed_by_run_id: z.optional(int),
  consumed_by_relay_id: z.optional(int),
  relay_id: z.optional(int),
});
export type MessageRecord = z.infer<typeof MessageRecord>;

export const AgentStatusEventType = z.enum(["paused", "retry_failed", "frozen", "probation", "active", "benched", "unfrozen"]);
export type AgentStatusEventType = z.infer<typeof AgentStatusEventType>;
export const AgentStatusEvent = z.object({
  agent_type: z.string().check(z.minLength(1)),
  model: z.optional(z.string()),
  event_type: AgentStatusEventType,
  timestamp: ts,
  relay_id: z.optional(int),
  reason: z.optional(z.string()),
  reset_at: z.optional(ts),
  quota_scope: z.optional(z.string()),
}).check(z.refine((e) => e.event_type !== "benched" || e.reset_at !== undefined, { message: "a benched event needs reset_at", path: ["reset_at"] }));
export type AgentStatusEvent = z.infer<typeof AgentStatusEvent>;

export const LapAttempt = z.object({ lap_id: z.string(), timestamp: ts });

export const RunState = z.object({
  run_id: z._default(z.string(), ""),
  handoff_state: z._default(int, 0),
  recorded_laps: z._default(z.array(z.string()), []),
  pinned_lap_id: z.optional(z.string()),
  laps_attempted: z.optional(z.array(LapAttempt)),
  session_id: z.optional(z.string()),
  active_relay_id: z.optional(int),
  active_run_id: z.optional(int),
  active_try_id: z.optional(int),
  /** The in-flight try's harness, model and attempt, so a crash can still be recorded. */
  active_agent_type: z.optional(z.string()),
  active_model: z.optional(z.string()),
  active_attempt: z.optional(int),
  /** The agent's process group and binary, so a rally that was killed can clean up after itself. */
  active_pid: z.optional(int),
  active_bin: z.optional(z.string()),
  active_log_path: z.optional(z.string()),
  active_started_at: z.optional(ts),
});
export type RunState = z.infer<typeof RunState>;

export const SummaryEntry = z.object({
  run_id: z.string(),
  summary: z.string(),
  classification: z.optional(z.string()),
  updated_at: ts,
  laps_completed: z.optional(z.union([z.array(z.string()), z.string()])),
  handoff: z.optional(
    z.object({ summary: z.string(), followups: z.array(z.string()), created_lap_ids: z.array(z.string()) }),
  ),
});
export type SummaryEntry = z.infer<typeof SummaryEntry>;

/** RFC 3339, whole seconds, `Z` (spec 05 §0). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

const CAP_RUNES = 3000;
const CAP_MARKER = "... [truncated] ...";

/** Keep long agent text bounded: head and tail halves around a marker (spec 05 §0). */
export function capText(text: string): string {
  const runes = [...text];
  if (runes.length <= CAP_RUNES) return text;
  const head = Math.floor((CAP_RUNES - CAP_MARKER.length) / 2);
  const tail = CAP_RUNES - CAP_MARKER.length - head;
  return runes.slice(0, head).join("") + CAP_MARKER + runes.slice(runes.length - tail).join("");
}
