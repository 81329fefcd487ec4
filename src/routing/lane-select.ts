import { RallyError } from "../errors.ts";

// Which lane serves a run: the override, else the lap's assignee (case-insensitive), else default.

export type LaneSource = "override" | "assignee" | "default";
export type LaneChoice = { lane: string; source: LaneSource; warning?: string };

export type LaneRequest = {
  /** Lane names as configured (case kept). */
  lanes: readonly string[];
  override: boolean;
  /** Laps-backed mode; without laps every run uses `default`. */
  lapsMode: boolean;
  assignee?: string;
};

function fail(code: string, message: string): never {
  throw new RallyError(code, message);
}

export function chooseLane(req: LaneRequest): LaneChoice {
  if (req.override) return { lane: "override", source: "override" };
  const byLower = new Map(req.lanes.map((n) => [n.toLowerCase(), n] as const));
  const fallback = byLower.get("default");
  if (!req.lapsMode) {
    return fallback !== undefined
      ? { lane: fallback, source: "default" }
      : fail("ROUTING_NO_DEFAULT", "routing: no-backend mode requires a default route");
  }
  const assignee = (req.assignee ?? "").trim();
  if (!assignee) {
    return fallback !== undefined
      ? { lane: fallback, source: "default" }
      : fail("ROUTING_NO_DEFAULT", "routing: no default route is configured");
  }
  const match = byLower.get(assignee.toLowerCase());
  if (match !== undefined) return { lane: match, source: "assignee" };
  // A role never falls back to another non-default role.
  if (fallback === undefined) {
    fail("ROUTING_NO_DEFAULT", `routing: no route matched assignee "${assignee}" and no default route is configured`);
  }
  return { lane: fallback, source: "default", warning: `routing: no route matched assignee "${assignee}"; falling back to default` };
}
