import { describe, expect, test } from "bun:test";
import type { TryRecord } from "../state/schema.ts";
import { lapFamily, recoveryCapWarning, recoveryDecision, resolvingTries } from "./laps-recovery.ts";

let nextId = 1;
function tryRec(p: Partial<TryRecord>): TryRecord {
  return {
    v: 1, id: nextId++, run_id: 1, relay_id: 1, agent_type: "claude", completed: true, summary: "", remaining_work: "",
    files_changed: null, commit_hash: "", started_at: "", ended_at: "", attempt_number: 1, ...p,
  } as TryRecord;
}

describe("recovery decision (spec 04 §10)", () => {
  test("no tries, an ordinary failure or an incomplete without handoff → no recovery", () => {
    expect(recoveryDecision([], "L")).toEqual({ kind: "none" });
    expect(recoveryDecision([tryRec({ lap_id: "L", outcome: "failed", completed: false })], "L")).toEqual({ kind: "none" });
    expect(recoveryDecision([tryRec({ lap_id: "L", outcome: "incomplete", completed: false })], "L")).toEqual({ kind: "none" });
    expect(recoveryDecision([tryRec({ lap_id: "L", outcome: "handoff_timeout" })], "")).toEqual({ kind: "none" });
  });

  test("a handoff timeout on the lap triggers recovery; two recovery resolvers in a row hit the cap", () => {
    const tries = [tryRec({ lap_id: "L", run_id: 1, outcome: "handoff_timeout", resolved_route: "default" })];
    expect(recoveryDecision(tries, "L")).toEqual({ kind: "recover", consecutive: 0 });
    tries.push(tryRec({ lap_id: "L", run_id: 2, outcome: "handoff_timeout", resolved_route: "recovery" }));
    expect(recoveryDecision(tries, "L")).toEqual({ kind: "recover", consecutive: 1 });
    tries.push(tryRec({ lap_id: "L", run_id: 3, outcome: "handoff_timeout", resolved_route: "RECOVERY" }));
    expect(recoveryDecision(tries, "L")).toEqual({ kind: "cap-reached", consecutive: 2 });
    // A clean resolver ends the trigger.
    tries.push(tryRec({ lap_id: "L", run_id: 4, outcome: "completed", resolved_route: "default" }));
    expect(recoveryDecision(tries, "L")).toEqual({ kind: "none" });
  });

  test("a dirty handoff links the laps it created: the followup lap inherits the trigger", () => {
    const tries = [tryRec({ lap_id: "A", dirty_handoff: true, outcome: "handoff_requested", handoff_created_lap_ids: ["B"] })];
    expect([...lapFamily(tries, "B")].sort()).toEqual(["A", "B"]);
    expect(recoveryDecision(tries, "B").kind).toBe("recover");
    expect(recoveryDecision(tries, "C").kind).toBe("none");
  });

  test("the resolving try of a run is its highest attempt (ties: highest id)", () => {
    const a1 = tryRec({ run_id: 5, attempt_number: 1, outcome: "handoff_timeout" });
    const a2 = tryRec({ run_id: 5, attempt_number: 2, outcome: "completed" });
    expect(resolvingTries([a2, a1])).toEqual([a2]);
    expect(recoveryDecision([a1, a2].map((t) => ({ ...t, lap_id: "L" })), "L").kind).toBe("none");
  });

  test("cap warning text", () => {
    expect(recoveryCapWarning("L", 2)).toBe('routing: recovery cap reached for lap "L" after 2 consecutive recovery run(s); falling back to normal route and raising needs_user');
  });
});
