import { readFileSync } from "node:fs";
import { isAbsolute, join } from "pathe";
import type { Config } from "../config/schema.ts";
import { commitPaths } from "../git/git.ts";
import { HOOK_COMMIT_PATHS, installRallyHooks } from "../laps/index.ts";
import { syncRoleFiles } from "../workspace/roles.ts";

// Start-up of a laps-backed relay (spec 05 §4.1 step 10): install or refresh rally's laps hooks
// and the built-in role files, each committed path-scoped so the agent's first run starts from a
// clean tree and nothing of the user's is swept in.

export const HOOKS_COMMIT_MESSAGE = "rally: install laps hooks";
export const ROLES_COMMIT_MESSAGE = "rally: update role files";
const ROLE_PATHS = [".rally/agents"];

export interface SetupOutput {
  say(line: string): void;
  warn(line: string): void;
}

/** Throws RallyError LAPS_HOOKS_PARSE when `.laps/hooks.json` is not valid JSON (the relay aborts). */
export async function prepareLapsWorkspace(ws: string, isRepo: boolean, out: SetupOutput): Promise<void> {
  const hooks = installRallyHooks(ws);
  if (hooks.changed) {
    out.say(`Installed rally hooks in ${hooks.hooksDir}`);
    if (isRepo) {
      const commit = await commitPaths(ws, [...HOOK_COMMIT_PATHS], HOOKS_COMMIT_MESSAGE);
      if (commit.committed) out.say("Committed laps hook setup.");
      else if (commit.error) out.warn(`auto-commit laps hooks: ${commit.error}`);
    }
  }
  // Role texts ship in the binary; the builtin copies are rewritten so they always match it.
  const written = syncRoleFiles(ws);
  if (!isRepo) return;
  const commit = await commitPaths(ws, ROLE_PATHS, ROLES_COMMIT_MESSAGE);
  if (commit.committed) out.say(written > 0 ? "Committed built-in role files (.rally/agents/builtin/)." : "Committed role files (.rally/agents/).");
  else if (commit.error) out.warn(`auto-commit role files: ${commit.error}`);
}

/**
 * `[laps] instructions_file` (or the legacy root `laps_instructions`) replaces the project
 * instructions in laps mode; unreadable → one warning and the project instructions stay.
 */
export function lapsInstructions(ws: string, config: Config, events: { warn(line: string): void }): string | undefined {
  const file = config.laps.instructions_file || config.laps_instructions;
  if (!file) return undefined;
  const path = isAbsolute(file) ? file : join(ws, file);
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    events.warn(`laps instructions file "${file}" not readable: ${(err as Error).message}; using project instructions`);
    return undefined;
  }
}
