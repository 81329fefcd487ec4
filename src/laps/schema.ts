// Record and result types of rally's laps integration (spec 05 §6, spec 09). zod is the single source.
import { z } from "../zod.ts";

/** One lap of `.laps/laps.json` as rally reads it: only the fields it uses, unknown keys kept (v3 safe). */
export const LapsFileLap = z.looseObject({
  id: z.string(),
  title: z.optional(z.string()),
  description: z.optional(z.string()),
  assignee: z.optional(z.string()),
  isDone: z.optional(z.boolean()),
  completedAt: z.optional(z.nullable(z.string())),
});
export type LapsFileLap = z.infer<typeof LapsFileLap>;

export const LapsFile = z.looseObject({
  version: z.number().check(z.int()),
  tasks: z.array(LapsFileLap),
});
export type LapsFile = z.infer<typeof LapsFile>;

/** The task-detail text of `laps claim` / `laps get head`, parsed (spec 05 §6.2). */
export const TaskDetail = z.object({
  title: z.string(),
  description: z.string(),
  assignee: z.string(),
});
export type TaskDetail = z.infer<typeof TaskDetail>;

/** The lap a run works on: task detail plus the id read from `.laps/claim`. */
export const ClaimedLap = z.extend(TaskDetail, { id: z.string() });
export type ClaimedLap = z.infer<typeof ClaimedLap>;

/** Why `laps claim` gave no lap: 3/11 empty, 12 all done, 10 held stint (0.9), anything else failed. */
export const NoLapReason = z.enum(["empty", "complete", "held", "failed"]);
export type NoLapReason = z.infer<typeof NoLapReason>;

export const ClaimResult = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("lap"),
    lap: ClaimedLap,
    /** Non-blank lines of `laps list` right after the claim (includes the claimed lap); 0 on failure. */
    remaining: z.number().check(z.int(), z.nonnegative()),
  }),
  z.object({
    kind: z.literal("none"),
    reason: NoLapReason,
    exitCode: z.number().check(z.int()),
    /** Trimmed stderr (or the spawn error) for the relay log. */
    detail: z.string(),
  }),
]);
export type ClaimResult = z.infer<typeof ClaimResult>;

/** A `.laps/hooks.json` entry (spec 09 §2.4); rally marks its own with the `rally:` title prefix. */
export const HookEntry = z.object({
  title: z.string(),
  description: z.string(),
  command: z.string(),
  when: z.string(),
  run: z.string(),
  passback: z.boolean(),
});
export type HookEntry = z.infer<typeof HookEntry>;

/** Lenient read of hooks.json: unknown keys ignored, missing fields default. */
export const HooksFile = z.looseObject({
  version: z._default(z.number().check(z.int()), 1),
  hooks: z._default(z.array(z.looseObject({
    title: z._default(z.string(), ""),
    description: z._default(z.string(), ""),
    command: z._default(z.string(), ""),
    when: z._default(z.string(), ""),
    run: z._default(z.string(), ""),
    passback: z._default(z.boolean(), false),
  })), []),
});
export type HooksFile = z.infer<typeof HooksFile>;

export const LapsWarningCode = z.enum(["LAPS_NOT_INSTALLED", "LAPS_TOO_OLD"]);
export type LapsWarningCode = z.infer<typeof LapsWarningCode>;

/** A warning for stderr, as data: the caller prints `warning: <message>`. */
export const LapsWarning = z.object({ code: LapsWarningCode, message: z.string() });
export type LapsWarning = z.infer<typeof LapsWarning>;

export const LapsMode = z.enum(["laps", "free-run"]);
export type LapsMode = z.infer<typeof LapsMode>;

export const LapsDetection = z.object({
  mode: LapsMode,
  /** Absolute path of `laps` on PATH, when found. */
  bin: z.optional(z.string()),
  /** Version found by the version check (`x.y.z`), when readable. */
  version: z.optional(z.string()),
  warnings: z.array(LapsWarning),
});
export type LapsDetection = z.infer<typeof LapsDetection>;

/** The laps-related subset of `.rally/state/run-state.json` (spec 05 §2.5); other keys pass through. */
export const RunStateLaps = z.looseObject({
  run_id: z._default(z.string(), ""),
  handoff_state: z._default(z.number().check(z.int()), 0),
  recorded_laps: z.pipe(z._default(z.nullable(z.array(z.string())), []), z.transform((v) => v ?? [])),
  pinned_lap_id: z.optional(z.string()),
  laps_attempted: z.optional(z.array(z.object({ lap_id: z.string(), timestamp: z.string() }))),
});
export type RunStateLaps = z.infer<typeof RunStateLaps>;

export const LapPinVerdict = z.enum(["ok", "wrong_lap_consumed", "multi_lap_consumed"]);
export type LapPinVerdict = z.infer<typeof LapPinVerdict>;

export const LapsRunOutcome = z.object({
  /** Distinct lap ids recorded this run (run-state `recorded_laps` ∪ this run's summary entries). */
  recordedLaps: z.array(z.string()),
  /** `laps handoff` was signalled (handoff_state ≠ 0) or a handoff summary entry exists. */
  handoff: z.boolean(),
  /** The run was finalized in laps terms (spec 05 §4.6 step 9), given a lap was pinned. */
  finalized: z.boolean(),
  /** Lap-pin check (spec 04): the verdict, and whether a mismatch is excused because the pinned lap is done. */
  pin: LapPinVerdict,
  pinExcused: z.boolean(),
});
export type LapsRunOutcome = z.infer<typeof LapsRunOutcome>;

export const InstallHooksResult = z.object({
  changed: z.boolean(),
  /** `<ws>/.laps/hooks/rally`, for `Installed rally hooks in <path>`. */
  hooksDir: z.string(),
  /** Workspace-relative paths for the `rally: install laps hooks` path-scoped commit. */
  commitPaths: z.array(z.string()),
});
export type InstallHooksResult = z.infer<typeof InstallHooksResult>;
