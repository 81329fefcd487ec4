// Installs rally's hooks into `.laps/` at every laps-mode relay start (spec 05 §6.3).
// Idempotent: reports `changed` only when a script or the hooks.json entry list had to be written.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RallyError } from "../errors.ts";
import { RALLY_HOOK_SCRIPTS, RALLY_HOOKS_DIR, isRallyHook } from "./hook-scripts.ts";
import { HooksFile, type HookEntry, type InstallHooksResult } from "./schema.ts";

export function hooksFilePath(ws: string): string {
  return join(ws, ".laps", "hooks.json");
}

/** Reads hooks.json leniently; undefined when absent; RallyError when it is not valid JSON. */
export function readHooksFile(ws: string, errorPrefix = "install laps hooks: "): HooksFile | undefined {
  const path = hooksFilePath(ws);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new RallyError("LAPS_HOOKS_PARSE", `${errorPrefix}parse hooks.json: ${(err as Error).message}`,
      `fix or delete ${path}`);
  }
  const parsed = HooksFile.safeParse(raw);
  if (!parsed.success) {
    throw new RallyError("LAPS_HOOKS_PARSE", `${errorPrefix}parse hooks.json: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      `fix or delete ${path}`);
  }
  return parsed.data;
}

/** Keeps exactly the six entry fields, in laps' key order. */
function normalize(h: HookEntry): HookEntry {
  return { title: h.title, description: h.description, command: h.command, when: h.when, run: h.run, passback: h.passback };
}

function sameEntries(a: HookEntry[], b: HookEntry[]): boolean {
  return a.length === b.length && a.every((x, i) => JSON.stringify(normalize(x)) === JSON.stringify(normalize(b[i]!)));
}

/** Writes a script when its content differs or it is not executable; true when written. */
function writeScript(path: string, content: string): boolean {
  const same = existsSync(path) && readFileSync(path, "utf8") === content;
  if (same && (statSync(path).mode & 0o111) === 0o111) return false;
  if (!same) {
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, content, { mode: 0o755 });
    renameSync(tmp, path);
  }
  chmodSync(path, 0o755);
  return true;
}

/** Go-style JSON: 2-space indent, `<` `>` `&` escaped, no trailing newline. */
function goJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** The four workspace-relative paths of the `rally: install laps hooks` commit. */
export const HOOK_COMMIT_PATHS: readonly string[] = [
  ".laps/hooks.json",
  ...RALLY_HOOK_SCRIPTS.map((s) => `${RALLY_HOOKS_DIR}/${s.name}`),
];

/**
 * User entries (titles not starting with `rally:`) first, in order, then rally's three.
 * Throws RallyError LAPS_HOOKS_PARSE when hooks.json is unparseable (the relay aborts).
 */
export function installRallyHooks(ws: string): InstallHooksResult {
  const existing = readHooksFile(ws);
  const hooksDir = join(ws, RALLY_HOOKS_DIR);
  mkdirSync(hooksDir, { recursive: true });
  let changed = false;
  for (const script of RALLY_HOOK_SCRIPTS) {
    if (writeScript(join(hooksDir, script.name), script.content)) changed = true;
  }
  const current = (existing?.hooks ?? []).map(normalize);
  const desired = [...current.filter((h) => !isRallyHook(h.title)), ...RALLY_HOOK_SCRIPTS.map((s) => s.entry)];
  if (changed || !existing || !sameEntries(current, desired)) {
    const doc = { version: existing?.version ?? 1, hooks: desired };
    writeFileSync(hooksFilePath(ws), goJson(doc));
    changed = true;
  }
  return { changed, hooksDir, commitPaths: [...HOOK_COMMIT_PATHS] };
}
