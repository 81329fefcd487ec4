import { existsSync } from "node:fs";
import { killOrphanedGroup } from "../sys/orphans.ts";
import { isoSeconds } from "../state/schema.ts";
import type { Store } from "../state/store.ts";

// A run-state left on disk means the previous rally died mid-run (crash, SIGKILL, power loss).
// Record what is known so nothing is lost: the in-flight try becomes an `interrupted` try record
// pointing at its log, and the run gets its stub summary entry.

export function recoverCrashedRun(store: Store, now: number, events: { note(line: string): void }, lapsBacked = false): void {
  const state = store.readRunState();
  if (!state) {
    if (existsSync(store.paths.runState)) store.deleteRunState(); // unreadable: nothing to recover
    return;
  }
  if (state.active_pid && killOrphanedGroup(state.active_pid, state.active_bin)) {
    events.note(`Stopped agent process group ${state.active_pid} left running when rally last exited.`);
  }
  const tryId = state.active_try_id;
  if (tryId && !store.tries.some((t) => t.id === tryId) && state.active_relay_id !== undefined) {
    // rally may have died before the agent (and so its log) existed.
    const logPath = state.active_log_path && existsSync(state.active_log_path) ? state.active_log_path : undefined;
    store.appendTry({
      id: tryId,
      run_id: state.active_run_id ?? 0,
      relay_id: state.active_relay_id,
      agent_type: state.active_agent_type ?? "unknown",
      model: state.active_model || undefined,
      completed: false,
      outcome: "interrupted",
      summary: "(rally exited while this try was running)",
      started_at: state.active_started_at ?? isoSeconds(now),
      ended_at: isoSeconds(now),
      attempt_number: state.active_attempt ?? 1,
      log_path: logPath,
      fail_reason: logPath ? "rally exited during the try" : "rally exited before the agent started",
    });
    events.note(`Recorded try ${tryId}, interrupted when rally last exited (log: ${logPath ?? "none"}).`);
  }
  store.appendSummary({
    run_id: state.run_id,
    summary: "(agent exited without finalizing)",
    updated_at: isoSeconds(now),
    // Laps workspaces record which laps the run got done, or "none" (spec 05 §3.7).
    ...(lapsBacked ? { laps_completed: state.recorded_laps.length ? state.recorded_laps : "none" } : {}),
  });
  store.deleteRunState();
}
