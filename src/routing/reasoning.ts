import type { Config } from "../config/schema.ts";
import { RallyError } from "../errors.ts";
import { didYouMean } from "../text/suggest.ts";
import { findNamedModel, harnessForToken, namedModelsFor } from "./harness-token.ts";
import type { AgentConfig } from "./resolve-agent.ts";

// `[reasoning]`: per-role preferences applied to entries that did not name their own model.
// A value is a harness-scoped model alias (`cx:g55-xh`), a bare model alias, or an effort level.

export type ReasoningConfig = AgentConfig & Pick<Config, "reasoning">;

export const DOCUMENTED_EFFORTS: Readonly<Record<string, readonly string[]>> = {
  codex: ["none", "minimal", "low", "medium", "high", "xhigh"],
  claude: ["low", "medium", "high", "xhigh", "max"],
};

/** The preference for a role: keys are matched trimmed and lower-cased. */
export function reasoningValue(config: Pick<Config, "reasoning">, role: string): string {
  const want = role.trim().toLowerCase();
  if (!want) return "";
  for (const [k, v] of Object.entries(config.reasoning)) if (k.trim().toLowerCase() === want) return v.trim();
  return "";
}

function unknownAliasError(role: string, alias: string, harness: string, config: AgentConfig): RallyError {
  if (!alias) {
    return new RallyError("ROUTING_REASONING_ALIAS", `config: [reasoning].${role} references an empty model alias for harness "${harness}"`);
  }
  const hint = didYouMean(alias, namedModelsFor(harness, config), { maxDistance: Infinity, quote: false });
  return new RallyError(
    "ROUTING_REASONING_ALIAS",
    `config: [reasoning].${role} references unknown model alias "${alias}" for harness "${harness}"${hint ? `; ${hint}` : ""}`,
  );
}

export type ReasoningEffect = { model?: string; effort?: string };

/**
 * What `[reasoning].<role>` does to a runner of `harness` that did not name its model:
 * replace the model, set an effort, or nothing. Throws when a scoped alias does not resolve.
 */
export function applyReasoning(harness: string, role: string, config: ReasoningConfig): ReasoningEffect {
  const value = reasoningValue(config, role);
  if (!value) return {};
  const roleKey = role.trim().toLowerCase();
  const colon = value.indexOf(":");
  if (colon >= 0) {
    const typed = value.slice(0, colon);
    const alias = value.slice(colon + 1).trim();
    if (harnessForToken(typed, config) !== harness) return {};
    const model = alias ? findNamedModel(harness, typed, alias, config) : undefined;
    if (model === undefined) throw unknownAliasError(roleKey, alias, harness, config);
    return { model };
  }
  const model = findNamedModel(harness, harness, value, config);
  return model !== undefined ? { model } : { effort: value };
}

/** The argv fragment that sets a reasoning effort, or a warning when the harness has no such flag. */
export function effortArgs(harness: string, effort: string): { args: string[]; warning?: string } {
  if (!effort) return { args: [] };
  const documented = DOCUMENTED_EFFORTS[harness];
  const unknown = documented && !documented.includes(effort)
    ? `rally: unknown ${harness} reasoning effort "${effort}"; passing it through (documented values: ${[...documented].sort().join(", ")})`
    : undefined;
  switch (harness) {
    case "codex":
      return { args: ["-c", `model_reasoning_effort=${effort}`], warning: unknown };
    case "claude":
      return { args: ["--effort", effort], warning: unknown };
    case "opencode":
      return { args: ["--variant", effort] };
    case "gemini":
      return { args: [], warning: `rally: gemini has no reasoning-effort flag; ignoring reasoning effort "${effort}" (choose a different model to change reasoning)` };
    case "antigravity":
      return { args: [], warning: `rally: antigravity has no reasoning-effort flag; ignoring reasoning effort "${effort}" (reasoning is selected via the model alias/name)` };
    default:
      return { args: [], warning: `rally: harness "${harness}" does not support reasoning-effort injection; ignoring reasoning effort "${effort}"` };
  }
}

function isKnownBareValue(value: string, config: AgentConfig): boolean {
  const lower = value.toLowerCase();
  if (Object.values(DOCUMENTED_EFFORTS).some((list) => list.includes(lower))) return true;
  return Object.values(config.harness).some((h) => Object.hasOwn(h.models, value));
}

/** `routes check` validation of `[reasoning]` values: scoped aliases must resolve (errors). */
export function checkReasoningValues(config: ReasoningConfig): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const roles = Object.keys(config.reasoning).sort((a, b) => a.trim().toLowerCase().localeCompare(b.trim().toLowerCase()));
  for (const rawRole of roles) {
    const role = rawRole.trim().toLowerCase();
    const value = config.reasoning[rawRole]!.trim();
    if (!value) continue;
    const colon = value.indexOf(":");
    if (colon < 0) {
      if (!isKnownBareValue(value, config)) {
        warnings.push(`warning: [reasoning].${role} value "${value}" is not a known model alias or documented reasoning effort; it will be passed through to the selected harness as-is`);
      }
      continue;
    }
    const typed = value.slice(0, colon);
    const harness = harnessForToken(typed, config);
    if (!harness) {
      errors.push(`config: [reasoning].${role} references unknown harness "${typed}"`);
      continue;
    }
    const alias = value.slice(colon + 1).trim();
    if (!alias || findNamedModel(harness, typed, alias, config) === undefined) {
      errors.push(unknownAliasError(role, alias, harness, config).message);
    }
  }
  return { errors, warnings };
}

