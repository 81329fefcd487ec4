// Laps detection and the advisory version check (spec 05 §6.1, §6.5; spec 09 §3.8).
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { findOnPath, isExecutableFile, type LapsContext, type LapsDeps } from "./exec.ts";
import type { LapsDetection, LapsWarning } from "./schema.ts";

export const MIN_LAPS_VERSION = "0.8.1";

export function lapsFilePath(ws: string): string {
  return join(ws, ".laps", "laps.json");
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Laps mode iff `<ws>/.laps/laps.json` exists and `laps` is on PATH (a bare `.laps/` is not enough). */
export function isLapsEnabled(ws: string, env: LapsDeps["env"]): boolean {
  return isFile(lapsFilePath(ws)) && detectionBinary(env) !== undefined;
}

/** First `x.y.z` in the text, or undefined (`dev`, garbage). */
export function parseLapsVersion(text: string): string | undefined {
  return /\d+\.\d+\.\d+/.exec(text)?.[0];
}

/** Numeric major/minor/patch comparison; a leading `v` and `-`/`+` suffixes are ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, "").split(/[-+]/)[0]!.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The binary the version check consults: `laps` beside the rally executable, else `laps` on PATH. */
export function versionCheckBinary(deps: LapsDeps): string | undefined {
  if (deps.rallyExecPath) {
    const sibling = join(dirname(deps.rallyExecPath), "laps");
    if (isExecutableFile(sibling)) return sibling;
  }
  return findOnPath("laps", deps.env.PATH);
}

/** Runs `laps version`, then `laps --version`; the first that exits 0 gives the version text. */
export async function readLapsVersion(ws: string, bin: string, deps: LapsDeps): Promise<string | undefined> {
  for (const flag of ["version", "--version"]) {
    const r = await deps.exec([bin, flag], { cwd: ws, env: deps.env });
    if (r.code === 0) return parseLapsVersion(`${r.stdout}\n${r.stderr}`);
  }
  return undefined;
}

export const NOT_INSTALLED_MESSAGE =
  "this workspace uses .laps/ but laps is not installed; run `rally update` to install it";

export function tooOldMessage(found: string): string {
  return `laps v${found} is older than the required v${MIN_LAPS_VERSION}; run \`rally update\` to upgrade`;
}

/** The version check alone (only meaningful when `.laps/laps.json` exists). */
export async function checkLapsVersion(ws: string, deps: LapsDeps): Promise<{ version?: string; warnings: LapsWarning[] }> {
  const bin = versionCheckBinary(deps);
  if (!bin) return { warnings: [{ code: "LAPS_NOT_INSTALLED", message: NOT_INSTALLED_MESSAGE }] };
  const version = await readLapsVersion(ws, bin, deps);
  if (version && compareVersions(version, MIN_LAPS_VERSION) < 0) {
    return { version, warnings: [{ code: "LAPS_TOO_OLD", message: tooOldMessage(version) }] };
  }
  return { version, warnings: [] };
}

/**
 * Relay-start detection: mode plus warnings as data (print each as `warning: <message>` on stderr).
 * Without `.laps/laps.json` nothing is checked and nothing is warned.
 */
export async function detectLaps(ws: string, deps: LapsDeps): Promise<LapsDetection> {
  if (!isFile(lapsFilePath(ws))) return { mode: "free-run", warnings: [] };
  const { version, warnings } = await checkLapsVersion(ws, deps);
  const bin = detectionBinary(deps.env);
  if (!bin) return { mode: "free-run", version, warnings };
  return { mode: "laps", bin, version, warnings };
}

/**
 * The call context for a workspace: `laps` from PATH, or the bare name when absent (every call then
 * fails like a missing binary, which callers already treat as "no lap" / a failed followup).
 */
export function lapsContextFor(ws: string, deps: LapsDeps): LapsContext {
  return { ws, bin: detectionBinary(deps.env) ?? "laps", exec: deps.exec, env: deps.env };
}

/** Detection and every laps call use `laps` from PATH (the sibling copy only feeds the version check). */
function detectionBinary(env: LapsDeps["env"]): string | undefined {
  return findOnPath("laps", env.PATH);
}
