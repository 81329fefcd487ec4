// Public surface of the reliability domain: pure failure classification, reset parsing,
// retry strategy, the pause rule and budget clamping. No I/O anywhere below this folder.

export { CATEGORY_INFO, classOfCategory, FailureCategory, FailureClass, labelOfCategory } from "./categories.ts";
export { HarnessErrorEvent, LaunchError, TAIL_LINES, TryEvidence, type TryEvidenceInput } from "./evidence.ts";
export { type FailurePattern, type FailureSample, EvidenceStream, type ResetExtractor } from "./pattern.ts";
export { COMMON_FAILURES } from "./patterns.ts";
export { failureRowsFor, HARNESS_FAILURES } from "./failure-tables.ts";
export { ClassificationSource, classifyTry, formatFailReason, type TryClassification } from "./classify.ts";
export {
  benchUntil,
  formatResetIn,
  PROVIDER_OVERLOADED_DEFAULT_MS,
  parseAbsoluteReset,
  parseClockReset,
  parseDatedClockReset,
  parseDurationSpan,
  parseResetTime,
  parseRetryAfter,
  parseSpanReset,
  type ResetHint,
  SHORT_RATE_LIMIT_DEFAULT_MS,
  USAGE_LIMIT_DEFAULT_BENCH_MS,
} from "./reset-time.ts";
export { nextWallClockOccurrence } from "./zoned-time.ts";
export {
  type AttemptLedger,
  CATEGORY_POLICY,
  type ClassifiedTry,
  cooldownFor,
  DEFAULT_RETRY_BUDGET,
  maxAttemptsFor,
  type NextStep,
  recordTry,
  retriesAfter,
  RetryStrategy,
  type RunEnd,
  type RunMode,
  startLedger,
  type TryReport,
} from "./strategy.ts";
export {
  type AgentKey,
  AgentState,
  AgentStatusEvent,
  AgentStatusEventType,
  buildStatusEvent,
  retryFailedStreak,
  STATUS_REASONS,
} from "./agent-status.ts";
export { resilienceEventsAfterRun, shouldPause } from "./pause-rule.ts";
// Timeout budgets and the stall threshold are resolved once, when the config loads
// (config/reliability.ts), so the rest of rally reads effective values only.
