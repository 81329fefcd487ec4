import { RallyError } from "../errors.ts";

// Splitting roster strings into entry tokens. Used for `--agent`, `--mix` and `[defaults].mix`.

export type RosterSource = "--agent" | "--mix" | "[defaults].mix";

/**
 * Split each value on commas, then each comma part on whitespace, keeping order across values.
 * A comma part with no token is a mistake (`"cc,,cx"`, `"cc,"`, `""`), never silently skipped.
 */
export function splitRosterValues(values: readonly string[], source: RosterSource): string[] {
  const tokens: string[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      const words = part.trim().split(/\s+/).filter((w) => w !== "");
      if (words.length === 0) throw new RallyError("ROUTING_EMPTY_VALUE", `empty value for ${source}`, `name at least one agent, e.g. ${source.startsWith("--") ? `${source} cc` : `${source} = "cc"`}`);
      tokens.push(...words);
    }
  }
  return tokens;
}

/** Tokens of repeated `--agent` / `--mix` flags (spec 01 §1 step 6). */
export function parseAgentFlags(values: readonly string[], flagName: "--agent" | "--mix"): string[] {
  return splitRosterValues(values, flagName);
}
