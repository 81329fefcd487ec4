import { existsSync } from "node:fs";
import { RallyError } from "../errors.ts";
import type { Store } from "./store.ts";

// Which try `rally tail` shows: the in-flight try when run-state names a live one, else the
// newest completed try (or the newest at all); `--try N` picks by position in tries.jsonl.

export interface TailTarget {
  logPath: string;
  tryId?: number;
  /** The try is still running: follow until its record appears. */
  live: boolean;
  warning?: string;
}

const DAY_MS = 24 * 3600_000;

export function activeTry(store: Store, now: number): { target?: TailTarget; stale?: string } {
  const rs = store.readRunState();
  if (!rs?.active_log_path) return {};
  const id = rs.active_try_id;
  let stale: string | undefined;
  if (!existsSync(rs.active_log_path)) stale = "missing log path";
  else if (rs.active_started_at && now - Date.parse(rs.active_started_at) > DAY_MS) stale = "implausibly old active_started_at";
  else if (id && store.tries.some((t) => t.id === id)) stale = "metadata already recorded in try history";
  else {
    const relay = rs.active_relay_id !== undefined ? store.relayById(rs.active_relay_id) : undefined;
    if (!relay || relay.ended_at) stale = "metadata belonging to no unfinished relay/run";
  }
  return stale ? { stale } : { target: { logPath: rs.active_log_path, tryId: id, live: true } };
}

export function selectTailTarget(store: Store, position: number, now: number): TailTarget {
  const tries = store.tries;
  if (position > 0) {
    if (tries.length === 0) throw new RallyError("TAIL_NO_TRIES", "no tries recorded in this workspace", "run `rally relay` first");
    if (position > tries.length) throw new RallyError("TAIL_RANGE", `try ${position} does not exist`, `valid range: 1-${tries.length}`);
    return withLog(tries[position - 1]!, position);
  }
  const active = activeTry(store, now);
  if (active.target) return active.target;
  if (tries.length === 0) throw new RallyError("TAIL_NO_TRIES", "no tries recorded in this workspace", "run `rally relay` first");
  const pick = [...tries].reverse().find((t) => t.completed) ?? tries.at(-1)!;
  const target = withLog(pick, 0);
  if (active.stale) target.warning = `stale active try ignored (${active.stale}), falling back to newest completed try`;
  return target;
}

function withLog(t: { id: number; log_path?: string }, asked: number): TailTarget {
  if (!t.log_path) throw new RallyError("TAIL_NO_LOG", `try ${asked || t.id} has no log file`, "it ended before rally started the agent");
  return { logPath: t.log_path, tryId: t.id, live: false };
}
