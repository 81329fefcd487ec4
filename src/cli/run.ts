import type { ArgsDef, CommandDef } from "citty";
import { existsSync } from "node:fs";
import { join } from "pathe";
import { formatUserError, isRallyError, RallyError } from "../errors.ts";
import { prefetchWorkspace, repoRootFromFiles } from "../git/workspace.ts";
import { didYouMean } from "../text/suggest.ts";
import type { UpdateNotice } from "../update/index.ts";
import { displayVersion, isDevBuild } from "../version.ts";
import { COMMANDS, commandNames, findCommand } from "./commands/index.ts";
import { colourOn } from "./output.ts";
import { systemFailureAsUserError } from "./system-errors.ts";
import { checkFlags } from "./unknown-flags.ts";
import { writeErr, writeOut } from "./stdio.ts";

// Dispatch: resolve the command chain ourselves (citty would also run a parent's `run` after a
// subcommand and ignores unknown flags), then let citty parse the leaf's arguments.

const HELP = new Set(["--help", "-h"]);

export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const debug = argv.includes("--debug") || env.RALLY_DEBUG === "1";
  const args = argv.filter((a) => a !== "--debug");
  const notice = startUpdateNotice(args, env);
  try {
    const code = await dispatch(args);
    await showUpdateNotice(notice);
    return code;
  } catch (err) {
    await showUpdateNotice(notice);
    return reportError(systemFailureAsUserError(err, args[0]) ?? err, debug);
  }
}

// Background update notice (release builds only; source runs never load the update module).
// The check runs alongside the command; its line is printed only if it is ready within ~25 ms
// of the command finishing, so it never holds a command up.
function startUpdateNotice(args: string[], env: Record<string, string | undefined>): Promise<UpdateNotice | undefined> | undefined {
  if (isDevBuild()) return undefined;
  return import("../update/index.ts").then((m) => m.startUpdateNotice(args, env), () => undefined);
}

async function showUpdateNotice(pending: Promise<UpdateNotice | undefined> | undefined): Promise<void> {
  const line = await (await pending)?.take().catch(() => undefined);
  if (line) writeErr(line + "\n");
}

async function dispatch(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || HELP.has(first) || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    if (!topic) return print(await rootUsage());
    return dispatch([topic, "--help"]);
  }
  if (first === "--version" || first === "-v") return dispatch(["version"]);
  if (first.startsWith("-")) {
    const hint = didYouMean(first, ["--help", "--version", "--debug"], { quote: false });
    throw new RallyError("UNKNOWN_FLAG", `unknown flag: ${first}`, hint || "run `rally --help` for usage");
  }
  const entry = findCommand(first);
  if (!entry) {
    const hint = didYouMean(first, commandNames());
    throw new RallyError("UNKNOWN_COMMAND", `unknown command "${first}" for "rally"`, hint || "run `rally --help` to list commands");
  }
  if (entry.inWorkspace && !rest.some((a) => HELP.has(a))) {
    // The repository lookup is a git process: let it run while the command's modules load.
    prefetchWorkspace(process.cwd());
  }
  return runChain(await entry.load(), [first], rest);
}

async function runChain(def: CommandDef<any>, path: string[], rest: string[]): Promise<number> {
  const { runCommand, renderUsage } = await import("citty");
  const subs = await resolve(def.subCommands);
  const next = rest[0];
  if (subs && next !== undefined && !next.startsWith("-")) {
    const sub = subs[next] ?? (await findByAlias(subs, next));
    if (sub) return runChain(await resolve(sub), [...path, next], rest.slice(1));
    if (!def.run) {
      const hint = didYouMean(next, Object.keys(subs));
      throw new RallyError("UNKNOWN_COMMAND", `unknown command "${next}" for "rally ${path.join(" ")}"`, hint || `run \`rally ${path.join(" ")} --help\``);
    }
  }
  const parent = { meta: { name: `rally${path.length > 1 ? " " + path.slice(0, -1).join(" ") : ""}` } };
  const leaf: CommandDef<any> = { ...def, meta: { ...(await resolve(def.meta)), name: path.at(-1) }, subCommands: def.run ? undefined : def.subCommands };
  if (rest.some((a) => HELP.has(a)) || (!def.run && subs)) return print(plainUnlessColour(await renderUsage(leaf, parent)));
  const argsDef = ((await resolve(def.args)) ?? {}) as ArgsDef;
  const rawArgs = checkFlags(rest, argsDef, path.join(" "));
  const { result } = await runCommand({ ...leaf, subCommands: undefined }, { rawArgs });
  return typeof result === "number" ? result : 0;
}

async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? (value as () => T | Promise<T>)() : value;
}

async function findByAlias(subs: Record<string, unknown>, name: string): Promise<CommandDef<any> | undefined> {
  for (const sub of Object.values(subs)) {
    const def = (await resolve(sub)) as CommandDef<any>;
    const meta = await resolve(def.meta);
    const alias = meta?.alias;
    if (alias && (Array.isArray(alias) ? alias : [alias]).includes(name)) return def;
  }
  return undefined;
}

/**
 * citty colours its usage text whatever stdout is; a pipe or NO_COLOR gets it plain, without the
 * column padding citty leaves at the ends of lines.
 */
function plainUnlessColour(text: string): string {
  return colourOn() ? text : Bun.stripANSI(text).replace(/[ \t]+$/gm, "");
}

function print(text: string): number {
  writeOut(text.endsWith("\n") ? text : text + "\n");
  return 0;
}

async function rootUsage(): Promise<string> {
  const hidden = new Set(Object.keys(COMMANDS).filter((name) => COMMANDS[name]!.hidden));
  // In a laps workspace agents record their progress through laps, so `progress` is left out
  // (it still runs when called).
  if (await inLapsWorkspace()) hidden.add("progress");
  const rows = Object.entries(COMMANDS)
    .filter(([name]) => !hidden.has(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, c]) => [[name, ...(c.aliases ?? [])].join(", "), c.description] as const);
  const width = Math.max(...rows.map(([n]) => n.length)) + 2;
  return [
    `rally ${displayVersion()} — run a repeatable coding loop across coding-agent CLIs in one git repo`,
    "",
    "USAGE  rally <command> [options]",
    "",
    "COMMANDS",
    ...rows.map(([n, d]) => `  ${n.padEnd(width)}${d}`),
    "",
    "OPTIONS",
    "  -h, --help     Show help for rally or a command",
    "  -v, --version  Print rally's version",
    "  --debug        Show stack traces for unexpected errors (also RALLY_DEBUG=1)",
    "",
    "Use `rally <command> --help` for more information about a command.",
  ].join("\n");
}

async function inLapsWorkspace(): Promise<boolean> {
  try {
    // No git process for help: where only git can tell the root (see repoRootFromFiles), the
    // current directory stands in, and at worst `progress` is listed.
    const cwd = process.cwd();
    const root = repoRootFromFiles(cwd, process.env)?.root ?? cwd;
    // Most workspaces have no queue: settle that with one stat before loading the laps module.
    if (!existsSync(join(root, ".laps"))) return false;
    const { isLapsEnabled } = await import("../laps/detect.ts");
    return isLapsEnabled(root, process.env);
  } catch {
    return false; // help is printed whatever the directory is like
  }
}

function reportError(err: unknown, debug: boolean): number {
  if (isRallyError(err)) {
    writeErr(formatUserError(err) + "\n");
    if (debug && err.stack) writeErr(err.stack + "\n");
    return 1;
  }
  const e = err as { name?: string; code?: string; message?: string; stack?: string };
  if (e?.name === "CLIError") {
    // citty's own argument errors (missing or invalid value); strip its colour codes.
    const plain = String(e.message).replace(/\x1b\[[0-9;]*m/g, "");
    writeErr(`error: ${plain} (run the command with --help for usage)\n`);
    return 1;
  }
  writeErr(
    `error: unexpected failure: ${e?.message ?? String(err)} (this is a bug in rally; rerun with --debug for the stack trace and report it)\n`,
  );
  if (debug && e?.stack) writeErr(e.stack + "\n");
  return 1;
}
