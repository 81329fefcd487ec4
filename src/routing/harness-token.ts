import { BUILTIN_HARNESS_IDS, HARNESS_ALIASES } from "../harness/ids.ts";
import type { Config } from "../config/schema.ts";

// Harness tokens as typed in an agent spec. Matching is case-sensitive on purpose: `CC` and
// `Claude` are rejected so that a spec means the same thing on every machine.

/** Every built-in spelling, sorted: the candidates for "did you mean" next to custom harness names. */
export const BUILTIN_HARNESS_TOKENS: readonly string[] = [
  ...Object.keys(HARNESS_ALIASES),
  ...BUILTIN_HARNESS_IDS,
].sort();

export type HarnessTables = Pick<Config, "harness">;

/** Canonical harness id for a typed token, or undefined when it names nothing. */
export function harnessForToken(token: string, config: HarnessTables): string | undefined {
  const alias = HARNESS_ALIASES[token];
  if (alias) return alias;
  if ((BUILTIN_HARNESS_IDS as readonly string[]).includes(token)) return token;
  return Object.hasOwn(config.harness, token) ? token : undefined;
}

/** All tokens that name the canonical harness (itself first). A custom harness has only its name. */
export function tokensForHarness(canonical: string): string[] {
  const aliases = Object.keys(HARNESS_ALIASES).filter((a) => HARNESS_ALIASES[a] === canonical);
  return [canonical, ...aliases];
}

export function isBuiltinHarness(canonical: string): boolean {
  return (BUILTIN_HARNESS_IDS as readonly string[]).includes(canonical);
}

/** Names that may follow "did you mean" for an unknown harness token. */
export function harnessTokenCandidates(config: HarnessTables): string[] {
  const custom = Object.keys(config.harness).filter((n) => !BUILTIN_HARNESS_TOKENS.includes(n));
  return [...BUILTIN_HARNESS_TOKENS, ...custom];
}

/**
 * Named-model tables consulted for a harness, in lookup order: the token as typed, the canonical
 * name, then the other aliases. (0.10 only read two tables; reading all of them is strictly more
 * permissive and removes the `opencode:z` vs `op:z` surprise.)
 */
export function modelTablesFor(canonical: string, typed: string, config: HarnessTables): Record<string, string>[] {
  const order = [typed, ...tokensForHarness(canonical).filter((t) => t !== typed)];
  return order.flatMap((t) => (config.harness[t] ? [config.harness[t].models] : []));
}

/** Look a named model up across a harness's tables. */
export function findNamedModel(canonical: string, typed: string, name: string, config: HarnessTables): string | undefined {
  for (const table of modelTablesFor(canonical, typed, config)) {
    if (Object.hasOwn(table, name)) return table[name];
  }
  return undefined;
}

/** Every named-model key defined for a harness (any of its spellings), sorted, without duplicates. */
export function namedModelsFor(canonical: string, config: HarnessTables): string[] {
  const names = new Set<string>();
  for (const table of modelTablesFor(canonical, canonical, config)) for (const k of Object.keys(table)) names.add(k);
  return [...names].sort();
}
