// Record and result types of rally's laps integration (spec 05 §6, spec 09). zod is the single source.
import { z } from "zod";

/** One lap of `.laps/laps.json` as rally reads it: only the fields it uses, unknown keys kept (v3 safe). */
export const LapsFileLap = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  assignee: z.string().optional(),
  isDone: z.boolean().optional(),
  completedAt: z.string().nullable().optional(),
});
export type LapsFileLap = z.infer<typeof LapsFileLap>;

export const LapsFile = z.looseObject({
  version: z.number().int(),
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
export const ClaimedLap = TaskDetail.extend({ id: z.string() });
export type ClaimedLap = z.infer<typeof ClaimedLap>;

/** Why `laps claim` gave no lap: 3/11 empty, 12 all done, 10 held stint (0.9), anything else failed. */
export const NoLapReason = z.enum(["empty", "complete", "held", "failed"]);
export type NoLapReason = z.infer<typeof NoLapReason>;

export const ClaimResult = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("lap"),
    lap: ClaimedLap,
    /** Non-blank lines of `laps list` right after the claim (includes the claimed lap); 0 on failure. */
    remaining: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal("none"),
    reason: NoLapReason,
    exitCode: z.number().int(),
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
  version: z.number().int().default(1),
  hooks: z.array(z.looseObject({
    title: z.string().default(""),
    description: z.string().default(""),
    command: z.string().default(""),
    when: z.string().default(""),
    run: z.string().default(""),
    passback: z.boolean().default(false),
  })).default([]),
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
  bin: z.string().optional(),
  /** Version found by the version check (`x.y.z`), when readable. */
  version: z.string().optional(),
  warnings: z.array(LapsWarning),
});
export type LapsDetection = z.infer<typeof LapsDetection>;

/** The laps-related subset of `.rally/state/run-state.json` (spec 05 §2.5); other keys pass through. */
export const RunStateLaps = z.looseObject({
  run_id: z.string().default(""),
  handoff_state: z.number().int().default(0),
  recorded_laps: z.array(z.string()).nullable().default([]).transform((v) => v ?? []),
  pinned_lap_id: z.string().optional(),
  laps_attempted: z.array(z.object({ lap_id: z.string(), timestamp: z.string() })).optional(),
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
