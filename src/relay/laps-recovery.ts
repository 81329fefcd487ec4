import type { TryRecord } from "../state/schema.ts";

// Recovery routing (spec 04 §10): after a dirty handoff or a handoff timeout, the next run on the
// same lap family goes to the `recovery` role — but never more than twice in a row, so a lap that
// keeps ending dirty comes back to its normal route and to a human (`needs_user`).
// Everything is derived from tries.jsonl, so the decision survives a rally restart.

export const RECOVERY_ROLE = "recovery";
export const RECOVERY_CAP = 2;

export type RecoveryDecision =
  | { kind: "none" }
  | { kind: "recover"; consecutive: number }
  | { kind: "cap-reached"; consecutive: number };

/** The lap and every lap linked to it through dirty-handoff tries (their own lap and the laps they created). */
export function lapFamily(tries: readonly TryRecord[], lapId: string): Set<string> {
  const family = new Set([lapId]);
  const dirty = tries.filter((t) => t.dirty_handoff && t.lap_id);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of dirty) {
      const linked = [t.lap_id!, ...(t.handoff_created_lap_ids ?? [])];
      if (!linked.some((id) => family.has(id))) continue;
      for (const id of linked) {
        if (!family.has(id)) {
          family.add(id);
          grew = true;
        }
      }
    }
  }
  return family;
}

/** One try per (relay, run): the highest attempt, ties to the highest id; ordered by try id. */
export function resolvingTries(tries: readonly TryRecord[]): TryRecord[] {
  const byRun = new Map<string, TryRecord>();
  for (const t of tries) {
    const key = `${t.relay_id}:${t.run_id}`;
    const cur = byRun.get(key);
    if (!cur || t.attempt_number > cur.attempt_number || (t.attempt_number === cur.attempt_number && t.id > cur.id)) byRun.set(key, t);
  }
  return [...byRun.values()].sort((a, b) => a.id - b.id);
}

export function recoveryDecision(tries: readonly TryRecord[], lapId: string): RecoveryDecision {
  if (!lapId) return { kind: "none" };
  const family = lapFamily(tries, lapId);
  const resolvers = resolvingTries(tries.filter((t) => t.lap_id && family.has(t.lap_id)));
  const latest = resolvers.at(-1);
  if (!latest || !(latest.outcome === "handoff_timeout" || latest.dirty_handoff)) return { kind: "none" };
  let consecutive = 0;
  for (let i = resolvers.length - 1; i >= 0; i--) {
    if ((resolvers[i]!.resolved_route ?? "").toLowerCase() !== RECOVERY_ROLE) break;
    consecutive++;
  }
  return consecutive >= RECOVERY_CAP ? { kind: "cap-reached", consecutive } : { kind: "recover", consecutive };
}

export function recoveryCapWarning(lapId: string, consecutive: number): string {
  return `routing: recovery cap reached for lap "${lapId}" after ${consecutive} consecutive recovery run(s); falling back to normal route and raising needs_user`;
}
