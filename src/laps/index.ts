// Public surface of the laps domain: detection, claim/list/add calls, outcome reading, hooks.
export * from "./schema.ts";
export { findOnPath, runLaps, spawnLaps } from "./exec.ts";
export type { Env, LapsContext, LapsDeps, LapsExec } from "./exec.ts";
export {
  MIN_LAPS_VERSION, NOT_INSTALLED_MESSAGE, checkLapsVersion, compareVersions, detectLaps, isLapsEnabled, lapsContextFor,
  lapsFilePath, parseLapsVersion, readLapsVersion, tooOldMessage, versionCheckBinary,
} from "./detect.ts";
export {
  addFollowupLap, claimHeadLap, collectAssignees, getHeadLap, isLapDone, readClaimedLapId, readLapsFile,
} from "./client.ts";
export type { AddLapResult } from "./client.ts";
export {
  countListLines, findLapsMarkerText, followupLapTitle, lapToTask, noLapReason, parseClaimFile, parseTaskDetail,
} from "./task-detail.ts";
export type { LapTask } from "./task-detail.ts";
export {
  checkLapPin, evaluateLapsOutcome, lapIdsFromLapsCompleted, readRunStateLaps, runStatePath,
} from "./outcome.ts";
export type { LapsOutcomeInput, SummaryEntryLaps } from "./outcome.ts";
export { RALLY_HOOK_PREFIX, RALLY_HOOK_SCRIPTS, RALLY_HOOKS_DIR, isRallyHook } from "./hook-scripts.ts";
export type { RallyHookScript } from "./hook-scripts.ts";
export { HOOK_COMMIT_PATHS, hooksFilePath, installRallyHooks, readHooksFile } from "./install-hooks.ts";
export {
  HOOKS_HELP, NO_AUDIT_LOG_MESSAGE, NO_HOOKS_FILE_MESSAGE, NO_HOOKS_MESSAGE, hookAuditPath, listHooks,
  readHookLogs, renderHookLogs, renderHooksList,
} from "./hooks-view.ts";
export type { HookLogs, HooksListing, ListedHook } from "./hooks-view.ts";
