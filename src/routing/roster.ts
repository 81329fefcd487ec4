import { RallyError } from "../errors.ts";
import { BUILTIN_MIX, buildLegacyMix } from "./legacy-mix.ts";
import { buildOverrideLane, buildRouteLanes, OVERRIDE_LANE, type Lane, type RoutesConfig } from "./lanes.ts";
import { runnerLabel } from "./resolve-agent.ts";
import { parseAgentFlags, splitRosterValues } from "./roster-text.ts";

// Where a relay's roster comes from: flags > [routes] > [defaults].mix > the built-in mix.

export type RosterMode = "override" | "routes" | "mix" | "builtin";

export type Roster = {
  mode: RosterMode;
  /** Stored as the relay's `agent_mix`; rosterFromLabel rebuilds the same roster on resume. */
  label: string;
  /** Every lane with a scheduler: valid routes (name order), then `override` or the legacy `default`. */
  lanes: Lane[];
  /** Whether `[reasoning]` applies (routes and override modes only). */
  reasoning: boolean;
  /**
   * Warnings about the flags only (`--agent` + `--mix`, raw-slug typos in `--agent`). Route
   * warnings come from startupRouteCheck and `[defaults].mix` notes from validateRoutingConfig.
   */
  warnings: string[];
};

export const OVERRIDE_LABEL_PREFIX = "__override__:";
export const ROUTES_LABEL = "__routes__";

export type RosterFlags = { agent?: readonly string[]; mix?: readonly string[] };

function overrideRoster(tokens: string[], config: RoutesConfig, warnings: string[]): Roster {
  const routes = buildRouteLanes(config);
  const override = buildOverrideLane(tokens, config, warnings);
  return {
    mode: "override",
    label: `${OVERRIDE_LABEL_PREFIX}${tokens.join(" ")}`,
    lanes: [...routes.lanes, override],
    reasoning: true,
    warnings,
  };
}

function mixRoster(mode: "mix" | "builtin", tokens: readonly string[], config: RoutesConfig, warnings: string[]): Roster {
  const mix = buildLegacyMix(tokens, config, mode === "mix" ? "config: [defaults].mix: " : "");
  return { mode, label: mix.label, lanes: [mix.lane], reasoning: false, warnings };
}

/**
 * Build the roster for a new relay. Only valid routes become lanes; run the start-up route
 * validation (startupRouteCheck) first so invalid ones are reported and confirmed.
 */
export function buildRoster(config: RoutesConfig, flags: RosterFlags = {}): Roster {
  const warnings: string[] = [];
  const agent = flags.agent ?? [];
  const mix = flags.mix ?? [];
  if (agent.length > 0) {
    if (mix.length > 0) warnings.push("both --agent and --mix were supplied; ignoring --mix");
    return overrideRoster(parseAgentFlags(agent, "--agent"), config, warnings);
  }
  if (mix.length > 0) return overrideRoster(parseAgentFlags(mix, "--mix"), config, warnings);
  const routes = buildRouteLanes(config);
  if (routes.lanes.length > 0) {
    return { mode: "routes", label: ROUTES_LABEL, lanes: routes.lanes, reasoning: true, warnings };
  }
  if (config.defaults.mix.trim() !== "") {
    return mixRoster("mix", splitRosterValues([config.defaults.mix], "[defaults].mix"), config, warnings);
  }
  return mixRoster("builtin", BUILTIN_MIX, config, warnings);
}

/** Rebuild a roster from a stored `agent_mix` label (routes come from the current config). */
export function rosterFromLabel(label: string, config: RoutesConfig): Roster {
  if (label.startsWith(OVERRIDE_LABEL_PREFIX)) {
    const tokens = label.slice(OVERRIDE_LABEL_PREFIX.length).split(" ").filter((t) => t !== "");
    return overrideRoster(tokens, config, []);
  }
  if (label === ROUTES_LABEL) {
    const routes = buildRouteLanes(config);
    if (routes.lanes.length === 0) {
      throw new RallyError("ROUTING_RESUME_NO_ROUTES", "resume relay: stored route-based relay requires configured routes");
    }
    return { mode: "routes", label, lanes: routes.lanes, reasoning: true, warnings: [] };
  }
  const tokens = label.split(/\s+/).filter((t) => t !== "");
  return tokens.length > 0 ? mixRoster("mix", tokens, config, []) : mixRoster("builtin", BUILTIN_MIX, config, []);
}

/** How a stored label is shown to people. */
export function displayLabel(label: string): string {
  if (label === ROUTES_LABEL) return "configured routes";
  if (label.startsWith(OVERRIDE_LABEL_PREFIX)) return label.slice(OVERRIDE_LABEL_PREFIX.length) || "(override)";
  return label || "(empty)";
}

/** One warning per lane that has exactly one entry, since a failure there stalls the lane. */
export function singleRunnerWarnings(roster: Roster): string[] {
  return roster.lanes
    .filter((lane) => lane.entries.length === 1)
    .map((lane) => {
      const e = lane.entries[0]!;
      const label = e.kind === "agent" ? runnerLabel(e.agent) : e.spec;
      return `lane "${lane.name}" has a single runner (${label}) — if it fails, the lane stalls with no fallback`;
    });
}

export { OVERRIDE_LANE };
