// Test laps: per-invocation context, argument parsing and the before/after hook wrapper (spec 09 §3–§4).
import { writeSync } from "node:fs";
import { hookVariables, loadHooks, runHooks, type HookEntry } from "./hooks.ts";
import { LapsExit, locateRoot, queuePath, type Lap } from "./store.ts";

export type FakeMode = "0.8" | "0.9";

export interface Ctx {
  cwd: string;
  mode: FakeMode;
  fileName?: string;
  stdout: string[];
  /** Reads piped stdin (for `add --stdin`). */
  readStdin(): string;
}

export interface Store {
  root: string;
  file: string;
  hooks: HookEntry[];
}

export function openStore(ctx: Ctx, withHooks: boolean, hooksErrorPrefix = "hooks: "): Store {
  const root = locateRoot(ctx.cwd);
  const file = queuePath(root, ctx.fileName);
  return { root, file, hooks: withHooks ? loadHooks(root, hooksErrorPrefix) : [] };
}

export function errLine(message: string): void {
  writeSync(2, `laps: ${message}\n`);
}

type FlagKind = "value" | "bool";
export type FlagSpec = Record<string, FlagKind>;

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

const ALIASES: Record<string, string> = { "-f": "--file", "-y": "--yes", "-h": "--help", "-v": "--version" };
export const GLOBAL_FLAGS: FlagSpec = { "--file": "value", "--json-output": "bool", "--help": "bool" };

/** Cobra-like flag parsing: `--x v`, `--x=v`, short aliases, `--` ends flags; unknown flag → exit 1. */
export function parseArgs(tokens: string[], spec: FlagSpec): ParsedArgs {
  const all = { ...GLOBAL_FLAGS, ...spec };
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === "--") {
      positionals.push(...tokens.slice(i + 1));
      break;
    }
    if (!tok.startsWith("-") || tok === "-") {
      positionals.push(tok);
      continue;
    }
    const eq = tok.indexOf("=");
    const rawName = eq > 0 ? tok.slice(0, eq) : tok;
    const name = ALIASES[rawName] ?? rawName;
    const kind = all[name];
    if (!kind) throw new LapsExit(1, `unknown flag: ${rawName}`);
    if (kind === "bool") {
      flags.set(name, true);
      continue;
    }
    if (eq > 0) flags.set(name, tok.slice(eq + 1));
    else if (i + 1 < tokens.length) flags.set(name, tokens[++i]!);
    else throw new LapsExit(1, `flag needs an argument: ${rawName}`);
  }
  return { positionals, flags };
}

export function flagValue(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === "string" ? v : undefined;
}

export interface BodyResult {
  stdout: string;
  /** `$output` for after hooks. */
  output: string;
  /** Lap variables for after hooks. */
  lap?: Lap;
}

/**
 * Runs a built-in with hooks: after hooks are armed first, so they also fire when the body fails
 * (with its exit code) or when a before hook aborts it (exit 4, `$exit_code` still "0" — QUIRK).
 * Before-hook passback is discarded for built-ins.
 */
export function withHooks(
  ctx: Ctx, store: Store, name: string, args: string[], beforeLap: Lap | undefined, body: () => BodyResult,
): number {
  const vars = (lap: Lap | undefined, exitCode?: string, output?: string) =>
    hookVariables({ command: name, file: store.file, args, lap, exitCode, output });
  const before = runHooks(store.hooks, store.root, name, "before", vars(beforeLap));
  let code = 0;
  let afterVars: Map<string, string>;
  if (before.failure) {
    errLine(`hook: ${before.failure}`);
    code = 4;
    afterVars = vars(beforeLap, "0", "");
  } else {
    try {
      const result = body();
      ctx.stdout.push(result.stdout);
      afterVars = vars(result.lap, "0", result.output);
    } catch (err) {
      if (!(err instanceof LapsExit)) throw err;
      errLine(err.message);
      code = err.code;
      afterVars = vars(beforeLap, String(code), "");
    }
  }
  flushStdout(ctx);
  const after = runHooks(store.hooks, store.root, name, "after", afterVars);
  ctx.stdout.push(after.passback);
  if (after.failure) errLine(`after hook: ${after.failure}`);
  return code;
}

export function flushStdout(ctx: Ctx): void {
  const text = ctx.stdout.join("");
  ctx.stdout.length = 0;
  if (text) writeSync(1, text);
}
