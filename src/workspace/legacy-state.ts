import { existsSync, readFileSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "pathe";

// Rally before the state/ split kept its state files directly in `.rally/`. Move them into
// `.rally/state/` without ever losing one: an identical duplicate is dropped, a differing one is
// kept beside the new file as `<name>.legacy-conflict`.

const LEGACY_STATE_FILES = [
  "tries.jsonl",
  "messages.jsonl",
  "relays.jsonl",
  "agent_status.jsonl",
  "hook-audit.jsonl",
  "run-state.json",
  "current_task.md",
];
const LEGACY_DIRS = ["batches", "relays"];

/** Returns notes for stderr about conflicts it had to keep. */
export function migrateLegacyState(rallyDir: string): string[] {
  const notes: string[] = [];
  const state = join(rallyDir, "state");
  for (const name of LEGACY_STATE_FILES) {
    const from = join(rallyDir, name);
    if (!existsSync(from)) continue;
    const to = join(state, name);
    if (!existsSync(to)) {
      renameSync(from, to);
    } else if (readFileSync(from).equals(readFileSync(to))) {
      unlinkSync(from);
    } else {
      renameSync(from, `${to}.legacy-conflict`);
      notes.push(`rally: kept legacy .rally/${name} as .rally/state/${name}.legacy-conflict (it differs from the current state file)`);
    }
  }
  for (const dir of LEGACY_DIRS) rmSync(join(rallyDir, dir), { recursive: true, force: true });
  return notes;
}
