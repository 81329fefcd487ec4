import { z } from "zod";

// What the relay engine hands the classifier after a failed try. Everything here is something
// the agent CLI itself (or the OS, or rally's own timers) reported. Tool results and file
// contents echoed inside the JSON event stream are deliberately absent: a package called
// `@upstash/ratelimit` or a file saying "rate limit exceeded" must never bench an agent.

/** One error the harness parser lifted out of the CLI's structured stream. */
export const HarnessErrorEvent = z.object({
  /** Which carrier it came from (claude `result`, claude `rate_limit_event`, opencode server log, …). */
  source: z.enum(["error_event", "result", "rate_limit_event", "server_log"]).default("error_event"),
  /** The CLI's own short error kind: claude assistant `error`, opencode `error.name`, gemini `error.type`. */
  code: z.string().optional(),
  /** The error text as the CLI reported it. */
  message: z.string().default(""),
  /** HTTP status the CLI reported (claude `api_error_status`, opencode `data.statusCode`). */
  status: z.number().int().optional(),
  /** Reset instant in epoch **seconds** (claude `rate_limit_info.resetsAt`). */
  resetsAt: z.number().optional(),
  /** Retry-after the CLI reported, in seconds. */
  retryAfterSecs: z.number().nonnegative().optional(),
});
export type HarnessErrorEvent = z.output<typeof HarnessErrorEvent>;

export const LaunchError = z.object({
  /** errno-style code from the spawn failure: ENOENT, EACCES, E2BIG, ENOEXEC, … */
  code: z.string().optional(),
  message: z.string(),
});
export type LaunchError = z.output<typeof LaunchError>;

export const TryEvidence = z.object({
  /** Canonical harness id, or a custom harness name (which only common rows match). */
  harness: z.string().min(1),
  /** Process exit code; null when killed by a signal or never started. */
  exitCode: z.number().int().nullable().default(null),
  /** Set when the process could not be started at all. */
  launchError: LaunchError.optional(),
  /** Which of rally's wall-clock budgets killed the try, if any. */
  timedOut: z.enum(["run", "try", "handoff"]).optional(),
  /** Rally's stall detector killed the try. */
  stalled: z.boolean().default(false),
  /** Errors from the CLI's structured stream (error events, is_error results, rejected rate limits). */
  errorEvents: z.array(HarnessErrorEvent).default([]),
  /** The agent's last assistant message (claude prints some limits as plain assistant text). */
  finalMessage: z.string().optional(),
  /** Tail of the CLI's stderr (gemini stderr, the agy log file); only the last 50 lines are read. */
  stderrTail: z.array(z.string()).default([]),
  /** Tail of stdout; lines that look like JSON events are skipped, only plain text is read. */
  stdoutTail: z.array(z.string()).default([]),
  /** The try left its own uncommitted changes (laps-backed runs only). */
  hasFileChanges: z.boolean().default(false),
  /** The lap was finalized (laps done/handoff recorded) or the run is not laps-backed. */
  finalized: z.boolean().default(true),
  /** IANA zone the agent process ran in; CLIs print zone-less reset clocks in it. */
  timeZone: z.string().default("UTC"),
});
export type TryEvidence = z.output<typeof TryEvidence>;
export type TryEvidenceInput = z.input<typeof TryEvidence>;

/** How many trailing lines of each text stream are read (spec 04 §0). */
export const TAIL_LINES = 50;
