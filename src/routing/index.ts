// Routing: agent-spec grammar, rosters and lanes, the per-lane scheduler, quota scopes,
// providers, reasoning and the `routes check` report. Pure: no I/O, no clock, no console.

export { parseEntry, formatEntry, formatQuota, Quota, ParsedEntry } from "./entry.ts";
export { resolveAgent, defaultModelFor, runnerLabel, ModelSource, ResolvedAgent, type AgentConfig } from "./resolve-agent.ts";
export { harnessForToken, BUILTIN_HARNESS_TOKENS } from "./harness-token.ts";
export { parseAgentFlags, splitRosterValues, type RosterSource } from "./roster-text.ts";
export {
  buildRouteLane,
  buildRouteLanes,
  buildOverrideLane,
  findRouteKey,
  OVERRIDE_LANE,
  type AgentEntry,
  type RoleEntry,
  type LaneEntry,
  type Lane,
  type RouteLanes,
  type RoutesConfig,
} from "./lanes.ts";
export { buildLegacyMix, BUILTIN_MIX, LEGACY_LANE, MAX_MIX_WEIGHT, type LegacyMix } from "./legacy-mix.ts";
export {
  buildRoster,
  rosterFromLabel,
  displayLabel,
  singleRunnerWarnings,
  OVERRIDE_LABEL_PREFIX,
  ROUTES_LABEL,
  type Roster,
  type RosterMode,
  type RosterFlags,
} from "./roster.ts";
export { startupRouteCheck, type StartupRouteCheck } from "./startup.ts";
export { chooseLane, type LaneChoice, type LaneRequest, type LaneSource } from "./lane-select.ts";
export {
  createScheduler,
  nextEntry,
  failEntry,
  recoverEntry,
  resetEntry,
  isSelectable,
  type SchedulerState,
} from "./scheduler.ts";
export {
  AgentKey,
  StatusEvent,
  StatusEventType,
  createStatusBook,
  applyStatusEvent,
  statusAt,
  benchDeadline,
  keyId,
  HOUR_MS,
  PAUSE_MS,
  FREEZE_MS,
  DEFAULT_BENCH_MS,
  type KeyStatus,
  type StatusBook,
} from "./agent-status.ts";
export { quotaScope, inferredScope, disabledProviderOf, EMPTY_PROVIDERS, type ProviderIndex } from "./quota-scope.ts";
export { buildProviderIndex, resolveProviderMember, disabledProviderWarnings } from "./providers.ts";
export { applyReasoning, effortArgs, reasoningValue, checkReasoningValues, DOCUMENTED_EFFORTS } from "./reasoning.ts";
export { resolveRunner, type Runner } from "./runner.ts";
export {
  createRouter,
  createRouterState,
  select,
  onSuccess,
  onFailure,
  onSkip,
  onFreeze,
  benchScope,
  forceUnpause,
  type Router,
  type RouterState,
  type RouterOptions,
  type Selection,
  type RunSelection,
  type SelectRequest,
  type EndReason,
  type Attempt,
} from "./router.ts";
export { validateRoutingConfig, type RoutingConfig, type Validation } from "./validate.ts";
export { routesCheckReport, type RoleFile, type RoutesCheckInput, type RoutesCheckReport } from "./routes-check.ts";
export { formatGoDuration } from "./duration.ts";
