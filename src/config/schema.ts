import { z } from "zod";

// Schema v2 of `.rally/config.toml` (and the user-level `~/.config/rally/config.toml`).
// These zod schemas are the single source of the config types. Unknown keys are not rejected
// here; `unknown-keys.ts` walks the same shapes to warn with a did-you-mean.

export const SCHEMA_VERSION = 2;
export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const MODEL_KEYS = [
  "claude_model",
  "codex_model",
  "gemini_model",
  "opencode_model",
  "antigravity_model",
] as const;
export type ModelKey = (typeof MODEL_KEYS)[number];

const str = z.string().default("");
const int = z.number().int();

const modelFields = Object.fromEntries(MODEL_KEYS.map((k) => [k, str])) as Record<ModelKey, typeof str>;

export const Defaults = z.object({
  iterations: int.default(0),
  mix: str,
  ...modelFields,
});
export type Defaults = z.infer<typeof Defaults>;

export const TailStream = z.enum(["stdout", "stderr", "combined"]);
export type TailStream = z.infer<typeof TailStream>;

export const HarnessConfig = z.object({
  /** alias → model slug, e.g. `opus = "claude-opus-4-7"`. */
  models: z.record(z.string(), z.string()).default({}),
  /** Extra environment for the agent process (gateways, proxies, API keys). */
  env: z.record(z.string(), z.string()).default({}),
  /** Extra flags, placed where that CLI accepts flags. */
  extra_args: z.array(z.string()).default([]),
  // Custom harnesses only (a built-in that declares these is a hard error).
  command: z.array(z.string()).min(1).optional(),
  /** Presence matters: absent = never pass the model; "" = pass it bare; "--x" = `--x <model>`. */
  model_flag: z.string().optional(),
  output_strategy: z.string().optional(),
  output_lines: int.positive().optional(),
  tail_stream: z.string().optional(),
});
export type HarnessConfig = z.infer<typeof HarnessConfig>;

// Loose so routing can reject unknown keys with its own message (instead of zod stripping them).
export const ProviderTable = z.looseObject({
  models: z.array(z.string()).min(1),
  exclude: z.array(z.string()).default([]),
  disabled: z.boolean().default(false),
});
export const ProviderConfig = z.union([z.array(z.string()).min(1), ProviderTable]);
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const Reliability = z.object({
  stall_threshold_secs: int.optional(),
  /** Deprecated spelling of stall_threshold_secs, still used by the seed smoke test. */
  freeze_threshold_secs: int.optional(),
  /** How long a connected agent may do no syscall I/O before it counts as frozen. */
  connected_idle_secs: int.optional(),
  liveness_probe: z.boolean().default(false),
  retry_budget: int.optional(),
  run_timeout_secs: int.optional(),
  try_timeout_secs: int.optional(),
  handoff_timeout_secs: int.optional(),
  recent_try_count: int.optional(),
  recent_try_char_limit: int.default(0),
  recent_context_char_limit: int.default(0),
});
export type Reliability = z.infer<typeof Reliability>;

export const Telemetry = z.object({
  enabled: z.boolean().optional(),
  new_relic_app_name: str,
  new_relic_host_display_name: str,
});

export const ConfigFile = z.object({
  schema_version: int.optional(),
  data_dir: str,
  run_hooks_on_autocommit: z.boolean().default(false),
  laps_instructions: str,
  ...modelFields, // deprecated root-level location (v0.2.x)
  defaults: Defaults.default(Defaults.parse({})),
  laps: z.object({ instructions_file: str }).default({ instructions_file: "" }),
  free_run: z.object({ prompt_file: str }).default({ prompt_file: "" }),
  fallback: z.object({ instructions_file: str }).default({ instructions_file: "" }),
  routes: z.record(z.string(), z.array(z.string())).default({}),
  harness: z.record(z.string(), HarnessConfig).default({}),
  providers: z.record(z.string(), ProviderConfig).default({}),
  reasoning: z.record(z.string(), z.string()).default({}),
  reliability: Reliability.default(Reliability.parse({})),
  telemetry: Telemetry.default(Telemetry.parse({})),
});
/** The merged, type-checked file content before defaults are resolved. */
export type ConfigFile = z.infer<typeof ConfigFile>;

/** Effective reliability budgets after defaults and clamping. */
export const EffectiveReliability = z.object({
  stall_threshold_secs: int,
  connected_idle_secs: int,
  liveness_probe: z.boolean(),
  retry_budget: int,
  run_timeout_secs: int,
  try_timeout_secs: int,
  handoff_timeout_secs: int,
  recent_try_count: int,
  recent_try_char_limit: int,
  recent_context_char_limit: int,
});
export type EffectiveReliability = z.infer<typeof EffectiveReliability>;

/** What the rest of rally consumes: the merged file with legacy keys folded and budgets resolved. */
export type Config = Omit<ConfigFile, "reliability" | ModelKey | "fallback"> & {
  reliability: EffectiveReliability;
};
