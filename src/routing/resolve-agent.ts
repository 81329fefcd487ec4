import { z } from "../zod.ts";
import type { Config } from "../config/schema.ts";
import { IDENTIFIER } from "../config/schema.ts";
import { RallyError } from "../errors.ts";
import { closest, didYouMean } from "../text/suggest.ts";
import { findNamedModel, harnessForToken, harnessTokenCandidates, namedModelsFor } from "./harness-token.ts";

// What an agent spec (quota already stripped) names: a harness and the model it runs.

/**
 * Where the model came from, in precedence order: a raw slug or named model written in the spec,
 * then a `[reasoning]` model alias (routers only), then `[defaults].<harness>_model`, then nothing (the harness CLI picks its own default).
 */
export const ModelSource = z.enum(["raw", "named", "reasoning", "defaults", "harness"]);
export type ModelSource = z.infer<typeof ModelSource>;

export const ResolvedAgent = z.object({
  harness: z.string(),
  model: z.string(),
  modelSource: ModelSource,
  /** The spec wrote a model part (`cc:opus`, `op:a/b`); `[reasoning]` leaves these alone. */
  explicitModel: z.boolean(),
  /** Non-fatal remarks, e.g. a raw slug that looks like a misspelt named model. */
  warnings: z.array(z.string()),
});
export type ResolvedAgent = z.infer<typeof ResolvedAgent>;

export type AgentConfig = Pick<Config, "harness" | "defaults">;

/** `[defaults].<harness>_model` for a built-in harness; custom harnesses have none. */
export function defaultModelFor(harness: string, config: Pick<Config, "defaults">): string {
  const value = (config.defaults as Record<string, unknown>)[`${harness}_model`];
  return typeof value === "string" ? value.trim() : "";
}

function unknownAlias(token: string, config: AgentConfig): RallyError {
  const hint = didYouMean(token, harnessTokenCandidates(config), { maxDistance: Infinity, quote: false });
  const msg = `unknown agent alias "${token}"${hint ? `; ${hint}` : ""}`;
  return new RallyError("ROUTING_UNKNOWN_ALIAS", msg);
}

function defaultModel(harness: string, config: AgentConfig): Pick<ResolvedAgent, "model" | "modelSource"> {
  const model = defaultModelFor(harness, config);
  return { model, modelSource: model ? "defaults" : "harness" };
}

/**
 * The 0.10 trap fixed: an identifier-shaped model part that is not a named model (e.g.
 * `cc:claude-haiku-4-5`) is a raw slug, not an error. It only earns a warning when it is close
 * to a defined name, since then it is more likely a typo than a real slug.
 */
function rawSlugWarning(harness: string, name: string, config: AgentConfig): string[] {
  if (!IDENTIFIER.test(name)) return [];
  const names = namedModelsFor(harness, config);
  if (closest(name, names).length === 0) return [];
  const hint = didYouMean(name, names, { quote: false });
  return [`model "${name}" is not a named model for harness "${harness}"; using it as a raw model slug (${hint})`];
}

/**
 * Resolve `alias`, `alias:N` (a weight) or `alias:model`. Three colon parts only reach here from
 * `[defaults].mix`, where quotas on named models are not supported.
 */
export function resolveAgent(spec: string, config: AgentConfig): ResolvedAgent {
  const parts = spec.split(":");
  if (parts.length > 2) {
    throw new RallyError(
      "ROUTING_BAD_SPEC",
      `invalid agent spec "${spec}": weight-on-named-model (e.g. cc:opus:2) is not supported`,
    );
  }
  const [token, modelPart] = parts as [string, string | undefined];
  const harness = harnessForToken(token, config);
  if (!harness) throw unknownAlias(token, config);
  if (modelPart === undefined || /^\d+$/.test(modelPart)) {
    return { harness, ...defaultModel(harness, config), explicitModel: false, warnings: [] };
  }
  const named = IDENTIFIER.test(modelPart) ? findNamedModel(harness, token, modelPart, config) : undefined;
  if (named !== undefined) {
    return { harness, model: named, modelSource: "named", explicitModel: true, warnings: [] };
  }
  const warnings = rawSlugWarning(harness, modelPart, config);
  return { harness, model: modelPart, modelSource: "raw", explicitModel: true, warnings };
}

/** `harness` or `harness:model`, the way lanes and warnings name a runner. */
export function runnerLabel(r: { harness: string; model: string }): string {
  return r.model ? `${r.harness}:${r.model}` : r.harness;
}
