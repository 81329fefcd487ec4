import type { Config } from "../config/schema.ts";
import { isRallyError } from "../errors.ts";
import { keyId, type AgentKey } from "./agent-status.ts";
import { harnessForToken, isBuiltinHarness, namedModelsFor, findNamedModel } from "./harness-token.ts";
import { defaultModelFor, resolveAgent, runnerLabel, type AgentConfig } from "./resolve-agent.ts";
import type { Lane } from "./lanes.ts";
import { disabledProviderOf, type ProviderIndex } from "./quota-scope.ts";
import { BUILTIN_HARNESS_IDS } from "../harness/ids.ts";

// `[providers]`: user-defined quota groups that share one usage budget across harnesses.

export type ProvidersConfig = AgentConfig & Pick<Config, "providers">;

const WILDCARD_HELP = "use harness:*, harness:prefix/*, harness:*suffix, prefix/*, or *suffix";

/** Every concrete runner a wildcard can see: default models and named models per harness. */
function configuredRunners(config: AgentConfig, harness?: string): AgentKey[] {
  const harnesses = harness ? [harness] : [...new Set([...BUILTIN_HARNESS_IDS, ...Object.keys(config.harness).map((t) => harnessForToken(t, config)!)])];
  const keys: AgentKey[] = [];
  for (const h of harnesses) {
    const def = isBuiltinHarness(h) ? defaultModelFor(h, config) : "";
    if (def) keys.push({ harness: h, model: def });
    for (const name of namedModelsFor(h, config)) keys.push({ harness: h, model: findNamedModel(h, h, name, config)! });
  }
  const seen = new Set<string>();
  return keys.filter((k) => !seen.has(keyId(k)) && seen.add(keyId(k)));
}

function matchWildcard(spec: string, config: AgentConfig): AgentKey[] {
  if (spec.split("*").length !== 2) throw new Error(`unsupported wildcard "${spec}"; ${WILDCARD_HELP}`);
  const colon = spec.indexOf(":");
  const pattern = colon >= 0 ? spec.slice(colon + 1) : spec;
  let harness: string | undefined;
  if (colon >= 0) {
    harness = harnessForToken(spec.slice(0, colon), config);
    if (!harness) throw new Error(`unknown agent alias "${spec.slice(0, colon)}"`);
  }
  let test: (model: string) => boolean;
  if (pattern === "*" && harness) test = () => true;
  else if (pattern.endsWith("/*") && pattern.indexOf("*") === pattern.length - 1) test = (m) => m.startsWith(pattern.slice(0, -1));
  else if (pattern.startsWith("*") && pattern.length > 1) test = (m) => m.endsWith(pattern.slice(1));
  else throw new Error(`unsupported wildcard "${spec}"; ${WILDCARD_HELP}`);
  return configuredRunners(config, harness).filter((k) => test(k.model));
}

function resolveBareAlias(alias: string, config: AgentConfig): AgentKey {
  const owners = [...new Set(Object.keys(config.harness).map((t) => harnessForToken(t, config)!))]
    .filter((h) => namedModelsFor(h, config).includes(alias))
    .sort();
  if (owners.length > 1) {
    throw new Error(`ambiguous model alias "${alias}" matches ${owners.map((h) => `${h}:${alias}`).join(", ")}; qualify it as harness:alias`);
  }
  if (owners.length === 0) throw new Error(`unknown model alias "${alias}"; qualify it as harness:model (e.g. cx:${alias})`);
  return { harness: owners[0]!, model: findNamedModel(owners[0]!, owners[0]!, alias, config)! };
}

/** The runners one member (or exclude) spec names. */
export function resolveProviderMember(spec: string, config: AgentConfig, forExclude = false): AgentKey[] {
  if (spec.includes("*")) {
    const keys = matchWildcard(spec, config);
    if (keys.length === 0 && !forExclude) throw new Error(`provider wildcard "${spec}" matched no configured models`);
    return keys;
  }
  if (!spec.includes(":") && !harnessForToken(spec, config)) return [resolveBareAlias(spec, config)];
  const agent = resolveAgent(spec, config);
  if (!agent.model) throw new Error(`member "${spec}" resolves to no concrete model (set [defaults].${agent.harness}_model or name a model)`);
  return [{ harness: agent.harness, model: agent.model }];
}

type ProviderShape = { models: string[]; exclude: string[]; disabled: boolean };

const PROVIDER_KEYS = ["models", "exclude", "disabled"];

/** Keys of a table-form provider beyond the three known ones (visible only if the schema keeps them). */
function unknownProviderKeys(value: Config["providers"][string]): string[] {
  return Array.isArray(value) ? [] : Object.keys(value).filter((k) => !PROVIDER_KEYS.includes(k)).sort();
}

function shapeOf(value: Config["providers"][string]): ProviderShape {
  return Array.isArray(value) ? { models: value, exclude: [], disabled: false } : value;
}

function providerMembers(p: ProviderShape, config: AgentConfig): AgentKey[] {
  const excluded = new Set(p.exclude.flatMap((s) => resolveProviderMember(s.trim(), config, true)).map(keyId));
  const seen = new Set<string>();
  const members = p.models
    .flatMap((s) => resolveProviderMember(s.trim(), config))
    .filter((k) => !excluded.has(keyId(k)) && !seen.has(keyId(k)) && seen.add(keyId(k)));
  if (members.length === 0) throw new Error("has no models remaining after exclusions");
  return members;
}

function message(err: unknown): string {
  return isRallyError(err) || err instanceof Error ? err.message : String(err);
}

/** Resolve `[providers]`; errors carry the `config: ` prefix the loader expects. */
export function buildProviderIndex(config: ProvidersConfig): { index: ProviderIndex; errors: string[] } {
  const index: ProviderIndex = { owner: new Map(), disabled: new Set(), members: new Map() };
  const errors: string[] = [];
  const byLower = new Map<string, string>();
  for (const rawName of Object.keys(config.providers).sort()) {
    const name = rawName.trim();
    if (!name) {
      errors.push(`config: [providers] contains an empty provider name`);
      continue;
    }
    const twin = byLower.get(name.toLowerCase());
    if (twin !== undefined) errors.push(`config: duplicate provider names "${twin}" and "${name}" differ only by case`);
    byLower.set(name.toLowerCase(), name);
    for (const k of unknownProviderKeys(config.providers[rawName]!)) {
      errors.push(`config: provider "${name}" has unknown key "${k}" (expected "models", "exclude", or "disabled")`);
    }
    const shape = shapeOf(config.providers[rawName]!);
    let members: AgentKey[];
    try {
      members = providerMembers(shape, config);
    } catch (err) {
      const detail = message(err);
      errors.push(`config: provider "${name}"${detail.startsWith("has ") ? " " : ": "}${detail}`);
      continue;
    }
    index.members.set(name, members);
    if (shape.disabled) index.disabled.add(name);
    for (const k of members) {
      const prior = index.owner.get(keyId(k));
      if (prior !== undefined) {
        errors.push(`config: runner ${runnerLabel(k)} is claimed by providers "${prior}" and "${name}"; a runner may belong to only one provider`);
      } else index.owner.set(keyId(k), name);
    }
  }
  return { index, errors };
}

/**
 * `provider "<n>" is disabled; its runners are sidelined for this relay`, once per disabled
 * provider that owns at least one routed entry (reasoning variants are not considered).
 */
export function disabledProviderWarnings(lanes: readonly Lane[], index: ProviderIndex): string[] {
  const hit = new Set<string>();
  for (const lane of lanes) {
    for (const e of lane.entries) {
      if (e.kind !== "agent") continue;
      const owner = disabledProviderOf({ harness: e.agent.harness, model: e.agent.model }, index);
      if (owner !== undefined) hit.add(owner);
    }
  }
  return [...hit].sort().map((n) => `provider "${n}" is disabled; its runners are sidelined for this relay`);
}
