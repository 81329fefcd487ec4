import { z } from "../zod.ts";

// Failure categories are stored in tries.jsonl `category`, so the names are stable data.
// The category → class table below is the only thing that decides whether a try counts as an
// infra failure (the pause rule reads nothing else).

export const FAILURE_CATEGORIES = [
  "usage_limit",
  "short_rate_limit",
  "provider_overloaded",
  "transient_infra",
  "invalid_model",
  "auth_or_proxy",
  "harness_launch",
  "binary_missing",
  "incomplete_finalization",
  "timeout",
  "stalled",
  "agent_error",
] as const;
export const FailureCategory = z.enum(FAILURE_CATEGORIES);
export type FailureCategory = z.infer<typeof FailureCategory>;

/** infra: the world failed (limits, network, launch); agent: the agent or its account failed. */
export const FailureClass = z.enum(["infra", "agent", "incomplete"]);
export type FailureClass = z.infer<typeof FailureClass>;

interface CategoryInfo {
  readonly class: FailureClass;
  /** Display label for footers, retry lines and fail_reason. */
  readonly label: string;
}

export const CATEGORY_INFO: Readonly<Record<FailureCategory, CategoryInfo>> = {
  // A usage limit is the account's quota, not a flaky world: it benches instead of pausing.
  usage_limit: { class: "agent", label: "usage limit" },
  short_rate_limit: { class: "infra", label: "rate limit" },
  provider_overloaded: { class: "infra", label: "provider overloaded" },
  transient_infra: { class: "infra", label: "infra error" },
  invalid_model: { class: "agent", label: "invalid model" },
  // Credentials or a proxy in the way: the world around the agent, not its work. Counted as
  // infra so a 401 on every try pauses the key for later relays (spec 04 classed it agent, never paused).
  auth_or_proxy: { class: "infra", label: "auth/proxy error" },
  // Launch failures happen before the agent ran at all, so they are never the agent's fault.
  harness_launch: { class: "infra", label: "harness launch error" },
  binary_missing: { class: "infra", label: "harness binary missing" },
  incomplete_finalization: { class: "incomplete", label: "incomplete: file changes without finalization" },
  // Timeouts and stall kills are rally's own decisions; spec 04 §6.5/§8.3 keep them out of infra.
  timeout: { class: "agent", label: "timeout" },
  stalled: { class: "agent", label: "stalled" },
  agent_error: { class: "agent", label: "agent error" },
};

/** Class of a stored category string; unknown values default to agent (spec 04 §1.1). */
export function classOfCategory(category: string): FailureClass {
  const parsed = FailureCategory.safeParse(category);
  return parsed.success ? CATEGORY_INFO[parsed.data].class : "agent";
}

/** Display label of a stored category string; unknown values display raw. */
export function labelOfCategory(category: string): string {
  const parsed = FailureCategory.safeParse(category);
  return parsed.success ? CATEGORY_INFO[parsed.data].label : category;
}
