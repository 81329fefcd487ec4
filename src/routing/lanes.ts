import type { Config } from "../config/schema.ts";
import { RallyError, isRallyError } from "../errors.ts";
import { parseEntry, type ParsedEntry, type Quota } from "./entry.ts";
import { resolveAgent, type AgentConfig, type ResolvedAgent } from "./resolve-agent.ts";

// Lanes: named, ordered lists of entries, built from `[routes]` or from the `--agent` roster.

/** An entry that runs one agent. */
export type AgentEntry = { kind: "agent"; raw: string; spec: string; quota?: Quota; agent: ResolvedAgent };
/**
 * `--agent DEFAULT:N`: one synthetic slot that, each time it is picked, runs the referenced
 * route's entry at its own cursor and then moves that cursor `stride` entries on.
 */
export type RoleEntry = { kind: "role"; raw: string; spec: string; quota: Quota; route: string; stride: number };
export type LaneEntry = AgentEntry | RoleEntry;

export type Lane = { name: string; entries: LaneEntry[] };

export const OVERRIDE_LANE = "override";

export type RoutesConfig = AgentConfig & Pick<Config, "routes">;

/** Re-wrap a RallyError with a context prefix, keeping its code. */
export function wrapError(err: unknown, prefix: string): unknown {
  if (!isRallyError(err)) return err;
  // The inner error already says "routing:"; the prefix says it once, in front.
  return new RallyError(err.code, `${prefix}${err.message.replace(/^routing: /, "")}`, err.hint);
}

function resolveEntry(parsed: ParsedEntry, config: AgentConfig, resolvePrefix: string, warnings: string[]): AgentEntry {
  try {
    const agent = resolveAgent(parsed.spec, config);
    warnings.push(...agent.warnings.map((w) => `${resolvePrefix}${w}`));
    return { kind: "agent", raw: parsed.raw, spec: parsed.spec, quota: parsed.quota, agent };
  } catch (err) {
    throw wrapError(err, resolvePrefix);
  }
}

/** Parse and resolve one `[routes]` value. A bare entry has no quota: it stays until it fails. */
export function buildRouteLane(name: string, values: readonly string[], config: AgentConfig, warnings: string[] = []): Lane {
  const entries = values.map((value) => {
    let parsed: ParsedEntry;
    try {
      parsed = parseEntry(value);
    } catch (err) {
      throw wrapError(err, `routing: route "${name}": `);
    }
    return resolveEntry(parsed, config, `route "${name}" entry "${parsed.raw}": `, warnings);
  });
  return { name, entries };
}

export type RouteLanes = { lanes: Lane[]; invalid: { name: string; error: RallyError }[]; warnings: string[] };

/** Every route in name order; invalid ones are collected rather than thrown (startup decides). */
export function buildRouteLanes(config: RoutesConfig): RouteLanes {
  const out: RouteLanes = { lanes: [], invalid: [], warnings: [] };
  for (const name of Object.keys(config.routes).sort()) {
    try {
      out.lanes.push(buildRouteLane(name, config.routes[name]!, config, out.warnings));
    } catch (err) {
      if (!isRallyError(err)) throw err;
      out.invalid.push({ name, error: err });
    }
  }
  return out;
}

/** The `[routes]` key matching `name` case-insensitively. */
export function findRouteKey(routes: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(routes).find((k) => k.toLowerCase() === lower);
}

function inlineRole(route: string, config: RoutesConfig, warnings: string[]): AgentEntry[] {
  return config.routes[route]!.map((value) => {
    const prefix = `routing: override role "${route}" entry "${value.trim()}": `;
    let parsed: ParsedEntry;
    try {
      parsed = parseEntry(value);
    } catch (err) {
      throw wrapError(err, prefix);
    }
    return resolveEntry(parsed, config, prefix, warnings);
  });
}

function roleEntries(parsed: ParsedEntry, route: string, config: RoutesConfig, warnings: string[]): LaneEntry[] {
  if (!parsed.quota) return inlineRole(route, config, warnings);
  if (parsed.quota.min !== parsed.quota.max) {
    throw new RallyError(
      "ROUTING_ROLE_QUOTA",
      `routing: override role reference "${parsed.raw}" must use a single numeric quota`,
    );
  }
  inlineRole(route, config, warnings); // validate the referenced route now, not mid-relay
  return [{ kind: "role", raw: parsed.raw, spec: parsed.spec, quota: { min: 1, max: 1 }, route, stride: parsed.quota.min }];
}

/**
 * The `--agent` roster as the lane `override`. A direct entry without a quota gets `:1`, so
 * `cc ge op` runs one of each in turn; a token naming a route is a role reference.
 */
export function buildOverrideLane(tokens: readonly string[], config: RoutesConfig, warnings: string[] = []): Lane {
  const entries = tokens.flatMap((token): LaneEntry[] => {
    let parsed: ParsedEntry;
    try {
      parsed = parseEntry(token);
    } catch (err) {
      throw wrapError(err, `routing: override entry "${token.trim()}": `);
    }
    const route = findRouteKey(config.routes, parsed.spec);
    if (route !== undefined) return roleEntries(parsed, route, config, warnings);
    const entry = resolveEntry(parsed, config, `routing: override entry "${parsed.raw}": `, warnings);
    return [{ ...entry, quota: entry.quota ?? { min: 1, max: 1 } }];
  });
  return { name: OVERRIDE_LANE, entries };
}
