import { z } from "zod";

// Records rally persists under `.rally/state/` and `.rally/summary.jsonl` (spec 05 §2).
// Readers accept records without `v` (written before versioning) as version 1.

const ts = z.string();
const version = z.literal(1).default(1);

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
  input_tokens: z.number().int().nonnegative().optional(),
  output_tokens: z.number().int().nonnegative().optional(),
  cache_read_tokens: z.number().int().nonnegative().optional(),
  cache_write_tokens: z.number().int().nonnegative().optional(),
  reasoning_tokens: z.number().int().nonnegative().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const TryRecord = z.object({
  v: version,
  id: z.number().int().positive(),
  run_id: z.number().int(),
  relay_id: z.number().int(),
  agent_type: z.string(),
  model: z.string().optional(),
  completed: z.boolean(),
  outcome: TryOutcome.optional(),
  cancellation_source: z.enum(["skip", "graceful_stop", "quit_now"]).optional(),
  handoff_only: z.boolean().optional(),
  resolved_route: z.string().optional(),
  summary: z.string().default(""),
  remaining_work: z.string().default(""),
  files_changed: z.array(z.string()).nullable().default(null),
  commit_hash: z.string().default(""),
  commit_history: z.array(z.string()).optional(),
  started_at: ts,
  ended_at: ts,
  attempt_number: z.number().int().positive(),
  log_path: z.string().optional(),
  fail_reason: z.string().optional(),
  category: z.string().optional(),
  runtime_ms: z.number().int().nonnegative().optional(),
  exit_code: z.number().int().nullable().optional(),
  session_id: z.string().optional(),
  tool_calls: z.number().int().nonnegative().optional(),
  usage: TokenUsage.optional(),
  cost_usd: z.number().nonnegative().optional(),
  lap_id: z.string().optional(),
  lap_assignee: z.string().optional(),
  recorded_laps: z.array(z.string()).optional(),
  /** Every `laps done` / `laps handoff` observation of the run (from run-state). */
  laps_attempted: z.array(z.object({ lap_id: z.string(), timestamp: z.string() })).optional(),
  /** A durable handoff recorded while the try's own changes were still uncommitted. */
  dirty_handoff: z.boolean().optional(),
  /** The recovery role's verdict (`continue`, `discard`, `course_correct`, `repair_plan`, `needs_user`). */
  recovery_classification: z.string().optional(),
  /** Lap ids created from this run's handoff followups. */
  handoff_created_lap_ids: z.array(z.string()).optional(),
});
export type TryRecord = z.infer<typeof TryRecord>;
export type TryRecordInput = z.input<typeof TryRecord>;

export const RelayRecord = z.object({
  v: version,
  id: z.number().int().positive(),
  target_iterations: z.number().int().nonnegative(),
  completed_iterations: z.number().int().nonnegative(),
  /** `__routes__`, `__override__:<specs>`, or a legacy mix label (spec 05 §2.2). */
  agent_mix: z.string(),
  started_at: ts,
  ended_at: ts.optional(),
  first_try_id: z.number().int().optional(),
  last_try_id: z.number().int().optional(),
  consumed_message_ids: z.array(z.number().int()).optional(),
});
export type RelayRecord = z.infer<typeof RelayRecord>;

export const MessageRecord = z.object({
  id: z.number().int(),
  body: z.string(),
  status: z.enum(["pending", "addressed", "cancelled"]),
  position: z.number().int(),
  scope: z.string().default("run"),
  created_at: ts,
  updated_at: ts,
  consumed_by_run_id: z.number().int().optional(),
  consumed_by_relay_id: z.number().int().optional(),
  relay_id: z.number().int().optional(),
});
export type MessageRecord = z.infer<typeof MessageRecord>;

export const AgentStatusEventType = z.enum(["paused", "retry_failed", "frozen", "probation", "active", "benched", "unfrozen"]);
export type AgentStatusEventType = z.infer<typeof AgentStatusEventType>;
export const AgentStatusEvent = z.object({
  agent_type: z.string().min(1),
  model: z.string().optional(),
  event_type: AgentStatusEventType,
  timestamp: ts,
  relay_id: z.number().int().optional(),
  reason: z.string().optional(),
  reset_at: ts.optional(),
  quota_scope: z.string().optional(),
}).refine((e) => e.event_type !== "benched" || e.reset_at !== undefined, { message: "a benched event needs reset_at", path: ["reset_at"] });
export type AgentStatusEvent = z.infer<typeof AgentStatusEvent>;

export const LapAttempt = z.object({ lap_id: z.string(), timestamp: ts });

export const RunState = z.object({
  run_id: z.string().default(""),
  handoff_state: z.number().int().default(0),
  recorded_laps: z.array(z.string()).default([]),
  pinned_lap_id: z.string().optional(),
  laps_attempted: z.array(LapAttempt).optional(),
  session_id: z.string().optional(),
  active_relay_id: z.number().int().optional(),
  active_run_id: z.number().int().optional(),
  active_try_id: z.number().int().optional(),
  /** The in-flight try's harness, model and attempt, so a crash can still be recorded. */
  active_agent_type: z.string().optional(),
  active_model: z.string().optional(),
  active_attempt: z.number().int().optional(),
  /** The agent's process group and binary, so a rally that was killed can clean up after itself. */
  active_pid: z.number().int().optional(),
  active_bin: z.string().optional(),
  active_log_path: z.string().optional(),
  active_started_at: ts.optional(),
});
export type RunState = z.infer<typeof RunState>;

export const SummaryEntry = z.object({
  run_id: z.string(),
  summary: z.string(),
  classification: z.string().optional(),
  updated_at: ts,
  laps_completed: z.union([z.array(z.string()), z.string()]).optional(),
  handoff: z
    .object({ summary: z.string(), followups: z.array(z.string()), created_lap_ids: z.array(z.string()) })
    .optional(),
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
