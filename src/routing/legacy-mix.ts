import { RallyError } from "../errors.ts";
import { wrapError, type AgentEntry, type Lane } from "./lanes.ts";
import { resolveAgent, runnerLabel, type AgentConfig, type ResolvedAgent } from "./resolve-agent.ts";

// `[defaults].mix` (and the built-in roster): weights grouped per harness, run as lane `default`.

export const LEGACY_LANE = "default";
/** Weights expand into one cycle slot each (and one label token), so they are bounded. */
export const MAX_MIX_WEIGHT = 1000;
/** The roster used when nothing is configured: claude once, then codex twice. */
export const BUILTIN_MIX = ["claude", "codex:2"] as const;

type Slot = { token: string; agent: ResolvedAgent; named: boolean };
type Group = { harness: string; weight: number; weightSlot?: Slot; named: Slot[] };

export type LegacyMix = { lane: Lane; label: string; warnings: string[] };

function groupByHarness(tokens: readonly string[], config: AgentConfig, errorPrefix: string): Group[] {
  const groups = new Map<string, Group>();
  for (const token of tokens) {
    let agent: ResolvedAgent;
    try {
      agent = resolveAgent(token, config);
    } catch (err) {
      throw wrapError(err, errorPrefix);
    }
    const group = groups.get(agent.harness) ?? { harness: agent.harness, weight: 0, named: [] };
    groups.set(agent.harness, group);
    const part = token.split(":")[1];
    if (part !== undefined && !/^\d+$/.test(part)) {
      group.named.push({ token, agent, named: true });
      group.weight += 1;
    } else {
      // `cc:0` still counts once, as in 0.10; a weight only ever adds runs.
      const weight = part === undefined ? 1 : Math.max(1, Number(part));
      if (weight > MAX_MIX_WEIGHT) {
        throw new RallyError("ROUTING_MIX_WEIGHT", `${errorPrefix}weight ${part} of "${token}" is too large (at most ${MAX_MIX_WEIGHT})`);
      }
      group.weight += weight;
      group.weightSlot ??= { token, agent, named: false };
    }
  }
  return [...groups.values()];
}

function cycleSlots(groups: Group[]): Slot[] {
  // A harness with any named entry contributes exactly those; its weight slots are dropped.
  return groups.flatMap((g) => (g.named.length > 0 ? g.named : Array<Slot>(g.weight).fill(g.weightSlot!)));
}

function collapse(slots: Slot[]): AgentEntry[] {
  const entries: AgentEntry[] = [];
  for (const slot of slots) {
    const last = entries[entries.length - 1];
    if (last && runnerLabel(last.agent) === runnerLabel(slot.agent)) {
      last.quota = { min: last.quota!.min + 1, max: last.quota!.max + 1 };
      continue;
    }
    const spec = slot.named ? slot.token : slot.agent.harness;
    entries.push({ kind: "agent", raw: spec, spec, quota: { min: 1, max: 1 }, agent: slot.agent });
  }
  return entries;
}

/**
 * Build the legacy lane. The label has one token per cycle slot (canonical harness for weight
 * slots, the token as written for named ones) so that it re-parses to the same cycle on resume.
 */
export function buildLegacyMix(tokens: readonly string[], config: AgentConfig, errorPrefix = ""): LegacyMix {
  const slots = cycleSlots(groupByHarness(tokens, config, errorPrefix));
  const warnings = [...new Set(slots.flatMap((s) => s.agent.warnings.map((w) => `${errorPrefix}${w}`)))];
  const label = slots.map((s) => (s.named ? s.token : s.agent.harness)).join(" ");
  return { lane: { name: LEGACY_LANE, entries: collapse(slots) }, label, warnings };
}
