// Public surface of the monitor domain: freeze sampling, verdicts, the liveness probe and
// status-line rendering.
export {
  AMBIGUITY_WINDOW_S,
  ambiguityWindowS,
  createFreezeDetector,
  DEFAULT_CONNECTED_WINDOW_S,
  type FreezeDetector,
  type FreezeKind,
  type FreezeMode,
  type FreezeOptions,
  type FreezeSample,
  type NetWarning,
  type Verdict,
  type VerdictState,
} from "./freeze.ts";
export { PROBE_TIMEOUT_MS, runLivenessProbe, type ProbeRunInput } from "./liveness-probe.ts";
export {
  createProbeScheduler,
  describeProbeOutcome,
  type ProbeAction,
  type ProbeOutcome,
  type ProbeScheduler,
  type ProbeSchedulerOptions,
  type ProbeTick,
} from "./probe-schedule.ts";
export { createGroupScanner, NetstatRow, type GroupSnapshot } from "./sample.ts";
export {
  createSampler,
  netstatPathFor,
  SAMPLE_INTERVAL_MS,
  startTrySampler,
  type Sampler,
  type SamplerDeps,
  type SamplerOptions,
  type TickResult,
  type TrySampler,
  type TrySamplerOptions,
} from "./sampler.ts";
export {
  formatDuration,
  formatTokens,
  HINT_TIERS,
  MARKER_TEXT,
  pickMarker,
  renderFooter,
  renderHintLine,
  renderStatusLine,
  statusFromTick,
  type FooterInput,
  type LiveFacts,
  type Marker,
  type RenderOptions,
  type StatusInput,
} from "./status-line.ts";
export { clipToWidth, displayWidth } from "./text-width.ts";
