// Test laps: `.laps/hooks.json` loading, textual variable substitution and hook execution (spec 09 §4).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LapsExit, type Lap } from "./store.ts";

export interface HookEntry {
  title: string;
  description: string;
  command: string;
  when: string;
  run: string;
  passback: boolean;
}

/** Lenient parse: unknown keys ignored, missing file = no hooks, malformed JSON is fatal (exit 2). */
export function loadHooks(root: string, errorPrefix: string): HookEntry[] {
  const path = join(root, ".laps", "hooks.json");
  if (!existsSync(path)) return [];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new LapsExit(2, `${errorPrefix}parse hooks file: ${(err as Error).message}`);
  }
  const hooks = (data as { hooks?: unknown } | null)?.hooks;
  if (!Array.isArray(hooks)) return [];
  return hooks.map((h: Record<string, unknown>) => ({
    title: String(h?.title ?? ""),
    description: String(h?.description ?? ""),
    command: String(h?.command ?? ""),
    when: String(h?.when ?? ""),
    run: String(h?.run ?? ""),
    passback: h?.passback === true,
  }));
}

/** One shell word per argument: safe characters bare, everything else single-quoted (§4.2). */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

export interface HookVars {
  command: string;
  file: string;
  args: string[];
  lap?: Lap;
  exitCode?: string;
  output?: string;
}

export function hookVariables(v: HookVars): Map<string, string> {
  const vars = new Map<string, string>([
    ["id", v.lap?.id ?? ""],
    ["title", v.lap?.title ?? ""],
    ["description", v.lap?.description ?? ""],
    ["assignee", v.lap?.assignee ?? ""],
    ["command", v.command],
    ["file", v.file],
    ["exit_code", v.exitCode ?? ""],
    ["output", v.output ?? ""],
    ["args", v.args.map(shellQuote).join(" ")],
  ]);
  v.args.forEach((a, i) => vars.set(String(i + 1), a));
  return vars;
}

/** Hook-only commands define no lap variables: those names stay for the shell to expand. */
export function hookOnlyVariables(v: HookVars): Map<string, string> {
  const vars = hookVariables(v);
  for (const name of ["id", "title", "description", "assignee"]) vars.delete(name);
  return vars;
}

/** `$name` and `${name}`; undefined names are left untouched. */
export function substitute(run: string, vars: Map<string, string>): string {
  return run.replace(/\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)/g, (whole, braced, bare) => {
    const value = vars.get(braced ?? bare);
    return value === undefined ? whole : value;
  });
}

export interface HookRunResult {
  passback: string;
  failure?: string;
}

/** Runs the matching hooks in file order; the first failure stops the rest. */
export function runHooks(
  hooks: HookEntry[], root: string, command: string, when: "before" | "after", vars: Map<string, string>,
): HookRunResult {
  let passback = "";
  for (const hook of hooks) {
    if (hook.command !== command || hook.when !== when) continue;
    const proc = Bun.spawnSync(["/bin/sh", "-c", substitute(hook.run, vars)], {
      cwd: root, stdin: "ignore", stdout: "pipe", stderr: "inherit", env: process.env,
    });
    if (proc.exitCode !== 0) {
      const status = proc.exitCode ?? proc.signalCode ?? "unknown";
      return { passback, failure: `hook "${hook.title}" failed: exit status ${status}` };
    }
    if (hook.passback) passback += proc.stdout.toString();
  }
  return { passback };
}
