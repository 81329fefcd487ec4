import type { AgentKey } from "./agent-status.ts";
import type { AgentEntry } from "./lanes.ts";
import { quotaScope, type ProviderIndex } from "./quota-scope.ts";
import { applyReasoning, type ReasoningConfig } from "./reasoning.ts";
import type { ModelSource } from "./resolve-agent.ts";

// A runner: the fully resolved (harness, model, effort) an entry runs for a given role.

export type Runner = {
  harness: string;
  /** "" = let the harness pick its own default. */
  model: string;
  modelSource: ModelSource;
  /** Reasoning effort from `[reasoning]`; turn it into argv with effortArgs(). */
  effort?: string;
  /** The entry as written in its lane. */
  entry: string;
  /** Resilience key: pauses, benches and freezes are stored per (harness, model). */
  key: AgentKey;
  quotaScope: string;
};

export type RunnerContext = {
  config: ReasoningConfig;
  providers: ProviderIndex;
  /** Apply `[reasoning]` (routes and override modes). */
  reasoning: boolean;
};

/** Resolve an entry for a role; `[reasoning]` only touches entries that did not name a model. */
export function resolveRunner(entry: AgentEntry, role: string, ctx: RunnerContext): Runner {
  const { harness } = entry.agent;
  let model = entry.agent.model;
  let modelSource = entry.agent.modelSource;
  let effort: string | undefined;
  if (ctx.reasoning && !entry.agent.explicitModel && role.trim() !== "") {
    const effect = applyReasoning(harness, role, ctx.config);
    if (effect.model !== undefined) {
      model = effect.model;
      modelSource = "reasoning";
    }
    effort = effect.effort;
  }
  const key = { harness, model };
  return { harness, model, modelSource, effort, entry: entry.raw, key, quotaScope: quotaScope(key, ctx.providers) };
}
