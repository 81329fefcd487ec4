import { changedFiles, commitAll, commitsBetween, ownChanges, unresolvedConflicts, type TreeState } from "../git/tree.ts";
import { classifyTry, formatFailReason, type TryClassification } from "../reliability/index.ts";
import type { TryOutcome } from "../state/schema.ts";
import type { AttemptResult } from "./attempt.ts";

// What one attempt amounted to: the commits it made (or that rally made for it), the files it
// changed, and whether it succeeded — and if not, why, in the classifier's terms.

export interface GitEffect {
  commitHistory: string[];
  filesChanged: string[] | null;
  autoCommitted: boolean;
  /** HEAD once rally is done with the tree (the next attempt's "before"). */
  head: string;
  warning?: string;
}

const NO_CHANGE_WINDOW_MS = 3 * 60_000;
const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

/** Commits made during the try, and rally's auto-commit of what the agent left uncommitted. */
export async function captureGitEffect(opts: {
  workspace: string;
  headBefore: string;
  snapshot: Map<string, string>;
  /** The tree right after the try (one `git status` answers HEAD and the dirty paths). */
  after: TreeState;
  message: string;
  runHooks: boolean;
  isRepo: boolean;
  /** Laps mode withholds the auto-commit of unfinalized work and dirty handoffs (spec 05 §5.3). */
  autoCommit?: boolean;
  /** Runs just before the auto-commit, so rally's own state can ride in the same commit. */
  beforeCommit?: () => void;
}): Promise<GitEffect> {
  const { after } = opts;
  if (!opts.isRepo) return { commitHistory: [], filesChanged: null, autoCommitted: false, head: "" };
  if (after.head && after.head !== opts.headBefore) {
    const files = await changedFiles(opts.workspace, opts.headBefore, after.head);
    const history = await commitsBetween(opts.workspace, opts.headBefore, after.head);
    return { commitHistory: history, filesChanged: files.length ? files : null, autoCommitted: false, head: after.head };
  }
  const own = ownChanges(opts.snapshot, after.dirty);
  const unchanged = { commitHistory: [], autoCommitted: false, head: after.head };
  if (own.length === 0) return { ...unchanged, filesChanged: null };
  if (opts.autoCommit === false) return { ...unchanged, filesChanged: own };
  const conflicted = unresolvedConflicts(opts.workspace, after);
  if (conflicted.length) return { ...unchanged, filesChanged: own, warning: conflictWarning(conflicted) };
  opts.beforeCommit?.();
  const commit = await commitAll(opts.workspace, opts.message, opts.runHooks);
  if (commit.error) return { ...unchanged, filesChanged: own, warning: `auto-commit failed: ${commit.error}` };
  if (!commit.hash) return { ...unchanged, filesChanged: own };
  // `own` is what status reported changed: exactly what the commit just recorded for the agent.
  return { commitHistory: [commit.hash], filesChanged: own, autoCommitted: true, head: commit.hash };
}

/** Why rally left a try's changes uncommitted, and what resolves it. */
function conflictWarning(paths: string[]): string {
  const shown = paths.length > 3 ? `${paths.slice(0, 3).join(", ")} and ${paths.length - 3} more` : paths.join(", ");
  const verb = paths.length === 1 ? "has" : "have";
  return `not committed: ${shown} still ${verb} conflict markers (resolve the conflicts; the next commit includes this try's changes)`;
}

export interface Verdict {
  completed: boolean;
  outcome: TryOutcome;
  failReason?: string;
  classification?: TryClassification;
  cancellation?: "skip" | "graceful_stop" | "quit_now";
}

const CANCEL_SOURCES = new Set(["skip", "graceful_stop", "quit_now"]);

export function judgeAttempt(opts: {
  harness: string;
  attempt: AttemptResult;
  git: GitEffect;
  runtimeMs: number;
  now: number;
}): Verdict {
  const { attempt, git } = opts;
  const stop = attempt.stopReason;
  if (stop === "pause") return { completed: false, outcome: "interrupted", failReason: "paused by the operator" };
  if (stop && CANCEL_SOURCES.has(stop)) {
    const source = stop as Verdict["cancellation"];
    return { completed: false, outcome: "cancelled", cancellation: source, failReason: `cancelled (${source})` };
  }
  const madeChanges = git.commitHistory.length > 0 || (git.filesChanged?.length ?? 0) > 0;
  const ok = !attempt.exit.launchError && !stop && attempt.exit.exitCode === 0 && attempt.result.completed;
  if (ok && (madeChanges || opts.runtimeMs >= NO_CHANGE_WINDOW_MS)) return { completed: true, outcome: "completed" };
  if (ok) {
    const reason = attempt.bytes === 0 ? "agent produced no output and made no changes" : "no changes made";
    return { completed: false, outcome: "failed", failReason: reason };
  }
  const classification = classifyTry(
    {
      harness: opts.harness,
      exitCode: attempt.exit.exitCode,
      launchError: attempt.exit.launchError ? { code: attempt.exit.launchErrorCode, message: attempt.exit.launchError } : undefined,
      timedOut: stop === "try_timeout" ? "try" : stop === "run_timeout" ? "run" : undefined,
      stalled: stop === "frozen" || stop === "no_progress",
      errorEvents: attempt.result.errorEvents,
      stderrTail: lines(attempt.stderrTail),
      stdoutTail: lines(attempt.stdoutTail),
    },
    opts.now,
  );
  const provisional = attempt.exit.launchError
    ? `harness error: ${attempt.exit.launchError}`
    : stop === "try_timeout" ? "try timeout" : stop === "run_timeout" ? "run timeout" : stop === "frozen" ? "frozen"
    : stop === "no_progress" ? `no progress: ${attempt.noProgress}`
    : attempt.bytes === 0 ? `agent exited with status ${attempt.exit.exitCode ?? attempt.exit.signal} and printed nothing`
    : "agent error";
  return {
    completed: false,
    outcome: stop === "run_timeout" ? "run_timeout" : "failed",
    // A no-progress stop says what the agent was spinning on; the category alone would not.
    failReason: stop === "no_progress" ? provisional : formatFailReason(classification, opts.now, provisional),
    classification,
  };
}
