import type { ArgsDef } from "citty";
import { RallyError } from "../errors.ts";
import { didYouMean } from "../text/suggest.ts";

// citty parses with strict:false: it ignores flags it does not know, takes whatever token follows a
// value flag as its value (even another flag), reads a missing value as "" and any `--switch=x` but
// "false" as true. Rally checks the raw arguments first so each of those is a one-line error.

export const GLOBAL_FLAGS = ["--help", "-h", "--debug"];

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Every spelling a command accepts, which of them take a value, and the long form of each
 * one-letter alias that takes a value.
 */
export function flagSpellings(args: ArgsDef): { known: Set<string>; takesValue: Set<string>; longOfShort: Map<string, string> } {
  const known = new Set(GLOBAL_FLAGS);
  const takesValue = new Set<string>();
  const longOfShort = new Map<string, string>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const alias = (def as { alias?: string | string[] }).alias;
    const aliases: string[] = alias === undefined ? [] : Array.isArray(alias) ? alias : [alias];
    const spellings = [`--${name}`, `--${kebab(name)}`, ...aliases.map((a) => (a.length === 1 ? `-${a}` : `--${a}`))];
    if (def.type === "boolean") spellings.push(`--no-${name}`, `--no-${kebab(name)}`);
    for (const s of spellings) {
      known.add(s);
      if (def.type === "string" || def.type === "enum") takesValue.add(s);
    }
    if (def.type === "string" || def.type === "enum") {
      for (const a of aliases) if (a.length === 1) longOfShort.set(`-${a}`, `--${kebab(name)}`);
    }
  }
  return { known, takesValue, longOfShort };
}

/** Negative numbers are not valid for any rally flag, so a dash-led token is always a flag, never a value. */
function looksLikeFlag(token: string): boolean {
  return /^-\S/.test(token);
}

/** The value of the value flag at `rawArgs[i]` and the index of its last token; throws when it has none. */
function valueAt(rawArgs: string[], i: number): { value: string; end: number } {
  const token = rawArgs[i]!;
  const eq = token.indexOf("=");
  const flag = eq > 0 ? token.slice(0, eq) : token;
  const value = eq > 0 ? token.slice(eq + 1) : rawArgs[i + 1];
  if (value === undefined || value === "" || (eq < 0 && looksLikeFlag(value))) {
    const tip = value && looksLikeFlag(value) ? `, or ${flag}=<value> when the value starts with "-"` : "";
    throw new RallyError("FLAG_VALUE_MISSING", `${flag} needs a value`, `pass ${flag} <value>${tip}`);
  }
  return { value, end: eq > 0 ? i : i + 1 };
}

/**
 * Rejects, as a RallyError, the first flag in `rawArgs` the command does not declare, a value flag
 * without its value, or a switch given a value other than true/false. `command` is e.g. "relay".
 * Returns the arguments for citty: the same, except that `-i=5` (which Go's flag parsers accept,
 * and citty would read as "=5") is given as `--iterations=5`.
 */
export function checkFlags(rawArgs: string[], args: ArgsDef, command: string): string[] {
  const { known, takesValue, longOfShort } = flagSpellings(args);
  const out = [...rawArgs];
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i]!;
    if (token === "--") break;
    if (!token.startsWith("-") || token === "-") continue;
    const eq = token.indexOf("=");
    const flag = eq > 0 ? token.slice(0, eq) : token;
    if (!known.has(flag)) throw unknownFlag(flag, known, command);
    if (takesValue.has(flag)) {
      const long = longOfShort.get(flag);
      if (eq > 0 && long) out[i] = `${long}=${token.slice(eq + 1)}`;
      i = valueAt(rawArgs, i).end;
    } else if (eq > 0 && !switchValueOk(flag, token.slice(eq + 1))) {
      throw new RallyError("FLAG_VALUE_UNEXPECTED", `${flag} takes no value, got "${token}"`, `write ${flag} on its own`);
    }
  }
  return out;
}

/** citty reads `--switch=false` as off, but `-s=…` and `--no-switch=…` not at all, and anything else as on. */
function switchValueOk(flag: string, value: string): boolean {
  return flag.startsWith("--") && !flag.startsWith("--no-") && (value === "true" || value === "false");
}

function unknownFlag(flag: string, known: Set<string>, command: string): RallyError {
  // Suggest the documented kebab-case spellings only, not the camelCase twins citty also accepts.
  const long = [...known].filter((s) => s.startsWith("--") && !s.startsWith("--no-") && !/[A-Z]/.test(s));
  // Measure the distance allowance on the name alone: the dashes would make it more forgiving.
  const name = flag.replace(/^-+/, "");
  const hint = didYouMean(flag, long, { quote: false, maxDistance: Math.max(1, Math.floor(name.length / 3)) });
  return new RallyError("UNKNOWN_FLAG", `unknown flag: ${flag}`, hint || `run \`rally ${command} --help\` for usage`);
}

/** All values of a repeatable string flag (`--agent a --agent=b -a c`), in order. */
export function collectFlagValues(rawArgs: string[], spellings: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i]!;
    if (token === "--") break;
    const eq = token.indexOf("=");
    if (!spellings.includes(eq > 0 ? token.slice(0, eq) : token)) continue;
    const { value, end } = valueAt(rawArgs, i);
    values.push(value);
    i = end;
  }
  return values;
}
