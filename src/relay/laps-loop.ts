import { claimHeadLap, lapToTask } from "../laps/index.ts";
import { readRoleFile } from "../workspace/roles.ts";
import type { RelayContext } from "./context.ts";
import { RECOVERY_ROLE, recoveryCapWarning, recoveryDecision } from "./laps-recovery.ts";

// The laps half of the relay loop: claim the head lap for the next run, decide which role runs it
// (its assignee, or `recovery` after a dirty handoff / handoff timeout) and load that role's text.

export interface LapRun {
  id: string;
  title: string;
  /** The lap's own queue assignee (recorded as `lap_assignee`, never the recovery substitute). */
  assignee: string;
  /** Effective role for routing and the prompt: the assignee, or `recovery` on a recovery run. */
  role: string;
  requirements: string;
  prompt: string;
  roleInstructions?: string;
  /** `laps list` lines right after the claim (includes this lap). */
  remaining: number;
}

/** A lap to run, or why the relay stops: an empty queue completes it (closed); a claim error leaves it open. */
export type LapClaim =
  | { kind: "lap"; lap: LapRun }
  | { kind: "stop"; ok: boolean; closeRelay: boolean; message: string };

/** Claim the head lap and work out its effective role. `lanes` are the configured route names. */
export async function claimLapForRun(
  ctx: RelayContext,
  runId: number,
  routing: { lanes: string[]; override: boolean },
): Promise<LapClaim> {
  let claim;
  try {
    claim = await claimHeadLap(ctx.laps!);
  } catch (err) {
    const message = `claim head lap: ${(err as Error).message}`;
    ctx.log(`relay ${ctx.relay.id} run ${runId} error: ${message}`);
    return { kind: "stop", ok: false, closeRelay: false, message };
  }
  if (claim.kind === "none") {
    ctx.log(`relay ${ctx.relay.id} completed: laps queue empty`);
    return { kind: "stop", ok: true, closeRelay: true, message: "Relay complete: the laps queue is empty." };
  }
  const task = lapToTask(claim.lap);
  const role = effectiveRole(ctx, runId, task.lapId, task.assignee, routing);
  const roleText = role ? readRoleFile(ctx.workspace, role)?.text : undefined;
  return {
    kind: "lap",
    lap: {
      id: task.lapId, title: task.name, assignee: task.assignee, role, requirements: task.requirements,
      prompt: task.prompt, roleInstructions: roleText, remaining: claim.remaining,
    },
  };
}

function effectiveRole(ctx: RelayContext, runId: number, lapId: string, assignee: string, routing: { lanes: string[]; override: boolean }): string {
  const decision = recoveryDecision(ctx.store.tries, lapId);
  const prefix = `relay ${ctx.relay.id} run ${runId}`;
  if (decision.kind === "cap-reached") {
    const warning = recoveryCapWarning(lapId, decision.consecutive);
    ctx.events.warn(warning);
    ctx.log(warning);
    ctx.log(`${prefix} needs_user: lap "${lapId}"`);
    ctx.events.note(`needs_user: lap ${lapId} still ends dirty or times out after ${decision.consecutive} recovery runs; please look at it (git status, .rally/summary.jsonl).`);
    return assignee;
  }
  if (decision.kind === "none") return assignee;
  const hasRecoveryRoute = routing.lanes.some((l) => l.toLowerCase() === RECOVERY_ROLE);
  if (!routing.override && !hasRecoveryRoute) {
    const warning = `routing: recovery pending for lap "${lapId}" but no recovery route is configured; using the normal route`;
    ctx.events.warn(warning);
    ctx.log(warning);
    return assignee;
  }
  ctx.log(`${prefix} recovery run for lap "${lapId}" (${decision.consecutive + 1} of at most 2 in a row)`);
  return RECOVERY_ROLE;
}
