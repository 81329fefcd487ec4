import type { ArgsDef } from "citty";

// citty parses with strict:false and silently ignores flags it does not know; rally rejects them.

export const GLOBAL_FLAGS = ["--help", "-h", "--debug"];

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Every spelling a command accepts, and which of them take a value. */
export function flagSpellings(args: ArgsDef): { known: Set<string>; takesValue: Set<string> } {
  const known = new Set(GLOBAL_FLAGS);
  const takesValue = new Set<string>();
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
  }
  return { known, takesValue };
}

/** The first flag in `rawArgs` the command does not declare, if any. */
export function findUnknownFlag(rawArgs: string[], args: ArgsDef): string | undefined {
  const { known, takesValue } = flagSpellings(args);
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i]!;
    if (token === "--") return undefined;
    if (!token.startsWith("-") || token === "-") continue;
    const flag = token.includes("=") ? token.slice(0, token.indexOf("=")) : token;
    if (!known.has(flag)) return flag;
    if (takesValue.has(flag) && !token.includes("=")) i++;
  }
  return undefined;
}

/** All values of a repeatable string flag (`--agent a --agent=b -a c`), in order. */
export function collectFlagValues(rawArgs: string[], spellings: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i]!;
    if (token === "--") break;
    const eq = token.indexOf("=");
    if (eq > 0 && spellings.includes(token.slice(0, eq))) values.push(token.slice(eq + 1));
    else if (spellings.includes(token) && i + 1 < rawArgs.length) values.push(rawArgs[++i]!);
  }
  return values;
}
