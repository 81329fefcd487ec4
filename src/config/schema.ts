import { z } from "../zod.ts";

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

const str = z._default(z.string(), "");
const int = z.number().check(z.int());

const modelFields = Object.fromEntries(MODEL_KEYS.map((k) => [k, str])) as Record<ModelKey, typeof str>;

export const Defaults = z.object({
  iterations: z._default(int, 0),
  mix: str,
  ...modelFields,
});
export type Defaults = z.infer<typeof Defaults>;

export const TailStream = z.enum(["stdout", "stderr", "combined"]);
export type TailStream = z.infer<typeof TailStream>;

export const HarnessConfig = z.object({
  /** alias → model slug, e.g. `opus = "claude-opus-4-7"`. */
  models: z._default(z.record(z.string(), z.string()), {}),
  /** Extra environment for the agent process (gateways, proxies, API keys). */
  env: z._default(z.record(z.string(), z.string()), {}),
  /** Extra flags, placed where that CLI accepts flags. */
  extra_args: z._default(z.array(z.string()), []),
  // Custom harnesses only (a built-in that declares these is a hard error).
  command: z.optional(z.array(z.string()).check(z.minLength(1))),
  /** Presence matters: absent = never pass the model; "" = pass it bare; "--x" = `--x <model>`. */
  model_flag: z.optional(z.string()),
  output_strategy: z.optional(z.string()),
  output_lines: z.optional(int.check(z.positive())),
  tail_stream: z.optional(z.string()),
});
export type HarnessConfig = z.infer<typeof HarnessConfig>;

// Loose so routing can reject unknown keys with its own message (instead of zod stripping them).
export const ProviderTable = z.looseObject({
  models: z.array(z.string()).check(z.minLength(1)),
  exclude: z._default(z.array(z.string()), []),
  disabled: z._default(z.boolean(), false),
});
export const ProviderConfig = z.union([z.array(z.string()).check(z.minLength(1)), ProviderTable]);
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const Reliability = z.object({
  stall_threshold_secs: z.optional(int),
  /** Deprecated spelling of stall_threshold_secs, still used by the seed smoke test. */
  freeze_threshold_secs: z.optional(int),
  /** How long a connected agent may do no syscall I/O before it counts as frozen. */
  connected_idle_secs: z.optional(int),
  liveness_probe: z._default(z.boolean(), false),
  retry_budget: z.optional(int),
  run_timeout_secs: z.optional(int),
  try_timeout_secs: z.optional(int),
  handoff_timeout_secs: z.optional(int),
  recent_try_count: z.optional(int),
  recent_try_char_limit: z._default(int, 0),
  recent_context_char_limit: z._default(int, 0),
});
export type Reliability = z.infer<typeof Reliability>;

export const Telemetry = z.object({
  enabled: z.optional(z.boolean()),
  new_relic_app_name: str,
  new_relic_host_display_name: str,
});

export const ConfigFile = z.object({
  schema_version: z.optional(int),
  data_dir: str,
  run_hooks_on_autocommit: z._default(z.boolean(), false),
  laps_instructions: str,
  ...modelFields, // deprecated root-level location (v0.2.x)
  defaults: z._default(Defaults, Defaults.parse({})),
  laps: z._default(z.object({ instructions_file: str }), { instructions_file: "" }),
  free_run: z._default(z.object({ prompt_file: str }), { prompt_file: "" }),
  fallback: z._default(z.object({ instructions_file: str }), { instructions_file: "" }),
  routes: z._default(z.record(z.string(), z.array(z.string())), {}),
  harness: z._default(z.record(z.string(), HarnessConfig), {}),
  providers: z._default(z.record(z.string(), ProviderConfig), {}),
  reasoning: z._default(z.record(z.string(), z.string()), {}),
  reliability: z._default(Reliability, Reliability.parse({})),
  telemetry: z._default(Telemetry, Telemetry.parse({})),
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
