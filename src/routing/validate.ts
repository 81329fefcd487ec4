import type { Config } from "../config/schema.ts";
import { isRallyError } from "../errors.ts";
import { buildLegacyMix } from "./legacy-mix.ts";
import { buildProviderIndex } from "./providers.ts";
import { splitRosterValues } from "./roster-text.ts";

// Load-time checks that need the routing grammar (spec 01 §3.11, spec 02 §4.1). Route entries
// themselves are only parsed by `routes check` and at relay start.

export type RoutingConfig = Pick<Config, "harness" | "defaults" | "routes" | "reasoning" | "providers">;
export type Validation = { errors: string[]; notes: string[] };

function caseDuplicates(keys: readonly string[], normalise: (k: string) => string): [string, string][] {
  const seen = new Map<string, string>();
  const dups: [string, string][] = [];
  for (const k of [...keys].sort()) {
    const n = normalise(k);
    const prior = seen.get(n);
    if (prior !== undefined) dups.push([prior, k]);
    else seen.set(n, k);
  }
  return dups;
}

function checkRoutes(config: RoutingConfig, errors: string[]): void {
  const keys = Object.keys(config.routes);
  for (const [a, b] of caseDuplicates(keys, (k) => k.toLowerCase())) {
    errors.push(`config: duplicate route keys "${a}" and "${b}" differ only by case`);
  }
  const roles = new Map(keys.map((k) => [k.toLowerCase(), k] as const));
  for (const name of [...keys].sort()) {
    for (const value of config.routes[name]!) {
      const first = value.trim().split(":")[0]!;
      const role = roles.get(first.toLowerCase());
      if (role !== undefined) {
        errors.push(`config: route "${name}" references role name "${first}" as an entry; role names are only valid in --agent, not in [routes]`);
      }
    }
  }
}

function checkReasoningKeys(config: RoutingConfig, errors: string[]): void {
  const keys = Object.keys(config.reasoning);
  if (keys.some((k) => k.trim() === "")) errors.push("config: [reasoning] contains an empty role key");
  const nonEmpty = keys.filter((k) => k.trim() !== "");
  for (const [a, b] of caseDuplicates(nonEmpty, (k) => k.trim().toLowerCase())) {
    errors.push(`config: duplicate reasoning keys "${a.trim()}" and "${b.trim()}" differ only by case`);
  }
}

function checkMix(config: RoutingConfig, errors: string[], notes: string[]): void {
  if (config.defaults.mix.trim() === "") return;
  const prefix = "config: [defaults].mix: ";
  try {
    const tokens = splitRosterValues([config.defaults.mix], "[defaults].mix");
    notes.push(...buildLegacyMix(tokens, config, prefix).warnings);
  } catch (err) {
    if (!isRallyError(err)) throw err;
    if (err.code === "ROUTING_EMPTY_VALUE") errors.push(`config: ${err.message}`);
    else errors.push(err.message.startsWith(prefix) ? err.message : `${prefix}${err.message}`);
  }
}

/** Errors (the loader turns them into a RallyError) and notes (printed as `warning: <note>`). */
export function validateRoutingConfig(config: RoutingConfig): Validation {
  const errors: string[] = [];
  const notes: string[] = [];
  checkReasoningKeys(config, errors);
  checkRoutes(config, errors);
  checkMix(config, errors, notes);
  errors.push(...buildProviderIndex(config).errors);
  return { errors, notes };
}
