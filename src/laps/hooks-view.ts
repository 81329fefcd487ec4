// Data (and plain-text rendering) for `rally hooks list` and `rally hooks logs` (spec 05 §8).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isRallyHook } from "./hook-scripts.ts";
import { readHooksFile } from "./install-hooks.ts";

export interface ListedHook {
  title: string;
  origin: "rally" | "user";
  description: string;
  when: string;
  command: string;
  run: string;
}

export type HooksListing = { kind: "missing" } | { kind: "ok"; hooks: ListedHook[] };

export const NO_HOOKS_FILE_MESSAGE =
  "No .laps/hooks.json found. Run a rally command in a laps-enabled workspace to install hooks.";
export const NO_HOOKS_MESSAGE = "(no hooks registered)";
export const NO_AUDIT_LOG_MESSAGE = "No hook audit log yet (.rally/state/hook-audit.jsonl).";

/** Entries of `.laps/hooks.json`; throws RallyError LAPS_HOOKS_PARSE when it is not valid JSON. */
export function listHooks(ws: string): HooksListing {
  const file = readHooksFile(ws, "");
  if (!file) return { kind: "missing" };
  return {
    kind: "ok",
    hooks: file.hooks.map((h) => ({
      title: h.title,
      origin: isRallyHook(h.title) ? "rally" : "user",
      description: h.description,
      when: h.when,
      command: h.command,
      run: h.run,
    })),
  };
}

/** `<title> [rally|user]`, then indented description, `on: <when> <command>`, `run: <run>`. */
export function renderHooksList(listing: HooksListing): string {
  if (listing.kind === "missing") return `${NO_HOOKS_FILE_MESSAGE}\n`;
  if (!listing.hooks.length) return `${NO_HOOKS_MESSAGE}\n`;
  return listing.hooks
    .map((h) => `${h.title} [${h.origin}]\n  ${h.description}\n  on: ${h.when} ${h.command}\n  run: ${h.run}\n`)
    .join("");
}

export function hookAuditPath(ws: string): string {
  return join(ws, ".rally", "state", "hook-audit.jsonl");
}

export type HookLogs = { kind: "missing" } | { kind: "ok"; lines: string[] };

/** The last `tail` non-blank audit lines verbatim (`tail` 0 = all; default 20 is the CLI's). */
export function readHookLogs(ws: string, tail: number): HookLogs {
  const path = hookAuditPath(ws);
  if (!existsSync(path)) return { kind: "missing" };
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "");
  return { kind: "ok", lines: tail > 0 ? lines.slice(-tail) : lines };
}

export function renderHookLogs(logs: HookLogs): string {
  if (logs.kind === "missing") return `${NO_AUDIT_LOG_MESSAGE}\n`;
  return logs.lines.map((l) => `${l}\n`).join("");
}

/** Text of `rally hooks help`. */
export const HOOKS_HELP = `Rally installs three laps hooks at every laps-mode relay start (.laps/hooks.json,
scripts in .laps/hooks/rally/):

  rally:laps-done     after \`laps done\`      records the completed lap (rally progress --record-lap)
                                             and tells the agent to commit and run \`laps wrapup\`
  rally:laps-handoff  before \`laps handoff\`  marks the run as handed off (rally progress --set-handoff)
                                             and explains how to wrap up a blocked lap
  rally:laps-wrapup   before \`laps wrapup\`   finalizes the run: rally progress --complete, or
                                             --handoff after a handoff (followups become head laps)

Your own hooks stay in hooks.json ahead of rally's; entries titled "rally:..." are rally's and are
rewritten. Every hook firing appends one line to .rally/state/hook-audit.jsonl
(see \`rally hooks logs\`).
`;
