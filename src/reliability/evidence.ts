import { z } from "../zod.ts";

// What the relay engine hands the classifier after a failed try. Everything here is something
// the agent CLI itself (or the OS, or rally's own timers) reported. Tool results and file
// contents echoed inside the JSON event stream are deliberately absent: a package called
// `@upstash/ratelimit` or a file saying "rate limit exceeded" must never bench an agent.

/** One error the harness parser lifted out of the CLI's structured stream. */
export const HarnessErrorEvent = z.object({
  /** Which carrier it came from (claude `result`, claude `rate_limit_event`, opencode server log, …). */
  source: z._default(z.enum(["error_event", "result", "rate_limit_event", "server_log"]), "error_event"),
  /** The CLI's own short error kind: claude assistant `error`, opencode `error.name`, gemini `error.type`. */
  code: z.optional(z.string()),
  /** The error text as the CLI reported it. */
  message: z._default(z.string(), ""),
  /** HTTP status the CLI reported (claude `api_error_status`, opencode `data.statusCode`). */
  status: z.optional(z.number().check(z.int())),
  /** Reset instant in epoch **seconds** (claude `rate_limit_info.resetsAt`). */
  resetsAt: z.optional(z.number()),
  /** Retry-after the CLI reported, in seconds. */
  retryAfterSecs: z.optional(z.number().check(z.nonnegative())),
});
export type HarnessErrorEvent = z.output<typeof HarnessErrorEvent>;

export const LaunchError = z.object({
  /** errno-style code from the spawn failure: ENOENT, EACCES, E2BIG, ENOEXEC, … */
  code: z.optional(z.string()),
  message: z.string(),
});
export type LaunchError = z.output<typeof LaunchError>;

export const TryEvidence = z.object({
  /** Canonical harness id, or a custom harness name (which only common rows match). */
  harness: z.string().check(z.minLength(1)),
  /** Process exit code; null when killed by a signal or never started. */
  exitCode: z._default(z.nullable(z.number().check(z.int())), null),
  /** Set when the process could not be started at all. */
  launchError: z.optional(LaunchError),
  /** Which of rally's wall-clock budgets killed the try, if any. */
  timedOut: z.optional(z.enum(["run", "try", "handoff"])),
  /** Rally's stall detector killed the try. */
  stalled: z._default(z.boolean(), false),
  /** Errors from the CLI's structured stream (error events, is_error results, rejected rate limits). */
  errorEvents: z._default(z.array(HarnessErrorEvent), []),
  /** Tail of the CLI's stderr (gemini stderr, the agy log file); only the last 50 lines are read. */
  stderrTail: z._default(z.array(z.string()), []),
  /** Tail of stdout; lines that look like JSON events are skipped, only plain text is read. */
  stdoutTail: z._default(z.array(z.string()), []),
  /** The try left its own uncommitted changes (laps-backed runs only). */
  hasFileChanges: z._default(z.boolean(), false),
  /** The lap was finalized (laps done/handoff recorded) or the run is not laps-backed. */
  finalized: z._default(z.boolean(), true),
  /** IANA zone the agent process ran in; CLIs print zone-less reset clocks in it. */
  timeZone: z._default(z.string(), "UTC"),
});
export type TryEvidence = z.output<typeof TryEvidence>;
export type TryEvidenceInput = z.input<typeof TryEvidence>;

/** How many trailing lines of each text stream are read (spec 04 §0). */
export const TAIL_LINES = 50;
