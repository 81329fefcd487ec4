import { GENERAL } from "../prompts/index.ts";
import type { AttemptResult } from "./attempt.ts";
import type { Verdict } from "./evaluate.ts";
import type { LapsAttempt } from "./laps-run.ts";

// When the run budget runs out in a laps run, the agent gets one last, bounded try that only
// writes a handoff (spec 04 §8.3): it resumes the same session, so it knows what it was doing,
// and the next agent starts from its notes instead of from nothing.

/** Whether a run-budget timeout can get its handoff-only continuation, or why not. */
export function handoffChance(resumable: boolean, sessionId: string | undefined): { ok: true } | { ok: false; reason: string } {
  if (!resumable) return { ok: false, reason: "run timeout; harness cannot resume for handoff" };
  if (!sessionId) return { ok: false, reason: "run timeout; no session captured for handoff" };
  return { ok: true };
}

/** The timed-out try itself, when no continuation can follow it. */
export function handoffImpossible(v: Verdict, reason: string): Verdict {
  return { ...v, completed: false, outcome: "handoff_timeout", failReason: reason, classification: undefined };
}

export const HANDOFF_ONLY_SECTION = `## Handoff-Only Continuation\n${GENERAL.handoffOnly}`;

/** The continuation succeeded only if the run now has a durable handoff entry (handoff + wrapup ran). */
export function judgeHandoffOnly(result: AttemptResult, laps: LapsAttempt | undefined): Verdict {
  if (laps?.handoff) return { completed: true, outcome: "handoff_requested" };
  const stop = result.stopReason;
  const reason =
    stop === "try_timeout" || stop === "run_timeout" ? "handoff timeout"
    : result.exit.launchError || (result.exit.exitCode ?? 1) !== 0 ? "handoff failed"
    : laps?.handoffState === 1 ? "handoff without wrapup"
    : "handoff not completed";
  return { completed: false, outcome: "handoff_timeout", failReason: reason };
}
