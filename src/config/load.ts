import { existsSync } from "node:fs";
import { basename, dirname } from "pathe";
import { RallyError } from "../errors.ts";
import { findUnknownKeys } from "./unknown-keys.ts";
import { formatKeyPath, hasPath, isTable, mergeLayers, type Table } from "./merge.ts";
import { displayPath, repoConfigPath, userConfigPath, type Env } from "./paths.ts";
import { resolveReliability } from "./reliability.ts";
import { ConfigFile, MODEL_KEYS, SCHEMA_VERSION, type Config } from "./schema.ts";
import { opencodeTuiNotes, validateHarnesses, validateReasoningKeys, type ConfigProblem } from "./validate-harnesses.ts";

export interface ConfigLayer {
  path: string;
  /** How messages show the path (`.rally/config.toml`, `~/.config/rally/config.toml`). */
  display: string;
  raw: Table;
}

export interface LoadedConfig {
  config: Config;
  layers: ConfigLayer[];
  /** Deprecations and clamps, printed as `warning: <note>` (spec 01 §3.11 order). */
  notes: string[];
  /** `schema_version` mismatch; shown by `routes check` and at relay start. */
  schemaWarning?: string;
  /** Keys no schema knows, with the file they are in and a did-you-mean. */
  unknownKeys: string[];
}

/** Extra load-time validation plugged in by routing (mix tokens, route keys, providers). */
export type RoutingValidator = (config: Config) => { errors: string[]; notes: string[] };

export interface LoadOptions {
  workspace: string;
  env: Env;
  validateRouting?: RoutingValidator;
}

/**
 * rally's own defaults, under every file: the `demo` harness runs rally's scripted demo agent, so
 * a relay works on a machine with no agent CLI or account (`rally relay --agent demo`).
 */
export function builtinLayer(selfArgv: string[]): ConfigLayer {
  const demo = { command: [...selfArgv, "demo-agent", "$PROMPT"], output_strategy: "tail", tail_stream: "stdout", output_lines: 5 };
  return { path: "(built-in)", display: "(built-in defaults)", raw: { harness: { demo } } };
}

/** How to run this rally again: the compiled binary alone, or bun plus the entry script. */
export function selfArgv(): string[] {
  return Bun.main.startsWith("/$bunfs") || Bun.main.startsWith("B:/~BUN") ? [process.execPath] : [process.execPath, Bun.main];
}

export async function loadConfig(opts: LoadOptions): Promise<LoadedConfig> {
  const candidates = [userConfigPath(opts.env), repoConfigPath(opts.workspace)];
  const layers: ConfigLayer[] = [builtinLayer(selfArgv())];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const display = displayPath(path, opts.workspace, opts.env);
    layers.push({ path, display, raw: await readLayer(path, display) });
  }
  return resolveLayers(layers, opts.validateRouting);
}

/** Validate merged layers (later layers win) into the effective config. Pure; exported for tests. */
export function resolveLayers(layers: ConfigLayer[], validateRouting?: RoutingValidator): LoadedConfig {
  const merged = layers.reduce<Table>((acc, l) => mergeLayers(acc, l.raw), {});
  const fileOf = (path: readonly PropertyKey[]) =>
    [...layers].reverse().find((l) => hasPath(l.raw, path))?.display ?? layers.at(-1)?.display ?? "config";
  const fail = (p: ConfigProblem): never => {
    const keyPath = p.path.length ? formatKeyPath(merged, p.path) : "";
    // Routing messages may name the key themselves ("[defaults].mix: …"): say it once.
    const key = keyPath && !p.message.startsWith(keyPath) ? `${keyPath}: ` : "";
    const file = fileOf(p.path);
    throw new RallyError("CONFIG_INVALID", `${file}: ${key}${p.message}`, p.hint ?? `fix ${keyPath || "it"} in ${file}`);
  };

  const parsed = ConfigFile.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((s): s is string | number => typeof s !== "symbol");
    fail({ path: path.map(String), message: describeIssue(issue.message, valueAt(merged, path)) });
  }
  const file = parsed.data!;
  for (const p of [...validateHarnesses(file.harness), ...validateReasoningKeys(file.reasoning)]) fail(p);

  const notes: string[] = [];
  const freeRunPrompt = file.free_run.prompt_file || file.fallback.instructions_file;
  if (file.fallback.instructions_file) {
    notes.push("config: [fallback] instructions_file is deprecated; use [free_run] prompt_file instead");
  }
  const { reliability, notes: budgetNotes } = resolveReliability(file.reliability);
  notes.push(...budgetNotes);
  const defaults = { ...file.defaults };
  for (const key of MODEL_KEYS) {
    if (!file[key]) continue;
    notes.push(`config: root-level ${key} is deprecated; use [defaults].${key} instead`);
    if (!defaults[key]) defaults[key] = file[key];
  }
  notes.push(...opencodeTuiNotes(file.harness));

  const { fallback: _f, reliability: _r, ...rest } = file;
  const config: Config = { ...stripRootModels(rest), defaults, free_run: { prompt_file: freeRunPrompt }, reliability };

  if (validateRouting) {
    const routing = validateRouting(config);
    const first = routing.errors[0];
    if (first) fail({ path: pathOfRoutingError(first), message: first.replace(/^config: /, "") });
    notes.push(...routing.notes);
  }

  const schemaWarning =
    file.schema_version !== undefined && file.schema_version !== 0 && file.schema_version !== SCHEMA_VERSION
      ? `config: schema_version is ${file.schema_version}, expected ${SCHEMA_VERSION} — proceed with caution`
      : undefined;
  const unknownKeys = layers.filter((l) => l.path !== "(built-in)").flatMap((l) =>
    findUnknownKeys(ConfigFile, l.raw).map(
      (u) => `${l.display}: unknown key ${formatKeyPath(l.raw, u.path)}${u.suggestion ? ` (${u.suggestion})` : ""}`,
    ),
  );
  return { config, layers, notes, schemaWarning, unknownKeys };
}

/**
 * c12 builds a jiti (its JS/TS config loader) on every call unless handed one, and rally reads
 * TOML only: this one is never asked to load anything. The compiled binary leaves jiti out
 * altogether (scripts/unused-deps.ts).
 */
const NO_JS_CONFIG = {
  import: () => Promise.reject(new Error("rally reads TOML config files only")),
} as unknown as NonNullable<import("c12").LoadConfigOptions["jiti"]>;

async function readLayer(path: string, display: string): Promise<Table> {
  const { loadConfig: c12Load } = await import("c12");
  try {
    const result = await c12Load<Table>({
      jiti: NO_JS_CONFIG,
      cwd: dirname(path),
      configFile: basename(path),
      rcFile: false,
      globalRc: false,
      packageJson: false,
      dotenv: false,
      envName: false,
      extend: false,
      configFileRequired: true,
    });
    return isTable(result.config) ? result.config : {};
  } catch (err) {
    const e = err as { line?: number; column?: number; message?: string };
    const first = String(e.message ?? err).split("\n")[0]!.replace(/^Invalid TOML document: /, "");
    const where = e.line ? `${display}:${e.line}:${e.column ?? 1}` : display;
    throw new RallyError("CONFIG_TOML_SYNTAX", `${where}: invalid TOML: ${first}`, `fix the syntax at that line of ${path}`);
  }
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((cur, seg) => (cur as Record<string | number, unknown> | undefined)?.[seg], root);
}

function describeIssue(message: string, value: unknown): string {
  const got = value === undefined ? "nothing" : `${Array.isArray(value) ? "array" : typeof value} ${JSON.stringify(value)}`;
  if (Array.isArray(value) && value.length === 0 && message.startsWith("Too small")) return "must not be empty";
  const what = message.replace(/^Invalid input: /, "").replace(/, received \w+$/, "");
  return `${what}, got ${got}`;
}

function stripRootModels<T extends Record<string, unknown>>(file: T): Omit<T, (typeof MODEL_KEYS)[number]> {
  const out = { ...file };
  for (const key of MODEL_KEYS) delete out[key];
  return out;
}

/** Routing errors name their table in the text; map that back to a key path for the file lookup. */
function pathOfRoutingError(message: string): string[] {
  const table = /route "([^"]+)"|provider "([^"]+)"|claimed by providers "([^"]+)"|\[(defaults)\]|\[(routes|providers|reasoning)\]/.exec(message);
  if (!table) return [];
  if (table[1]) return ["routes", table[1]];
  if (table[2] ?? table[3]) return ["providers", (table[2] ?? table[3])!];
  if (table[4]) return ["defaults", "mix"];
  return [table[5]!];
}
