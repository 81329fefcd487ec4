import { join } from "pathe";
import { fallbackIdentityArgs } from "../git/git.ts";
import { foldState, NO_TREE, treeState } from "../git/tree.ts";
import type { RunSelection } from "../routing/index.ts";
import { effortArgs } from "../routing/index.ts";
import { isoSeconds, type TryRecord } from "../state/schema.ts";
import { runAttempt, type AttemptResult, type MonitorSettings, type StopReason } from "./attempt.ts";
import type { RelayContext } from "./context.ts";
import type { HarnessDescriptor } from "../harness/types.ts";
import { captureGitEffect, judgeAttempt, type Verdict } from "./evaluate.ts";
import type { LapRun } from "./laps-loop.ts";
import { INCOMPLETE_RETRY_GUIDANCE, evaluateLapsAttempt, judgeLapsAttempt, lapsLogFields, lapsSummary, lapsTryFields, mayAutoCommit, type LapsAttempt } from "./laps-run.ts";
import { maxAttemptsFor, retriesAfter } from "../reliability/index.ts";
import { runModeOf } from "./resilience.ts";
import { handoffChance, handoffImpossible, HANDOFF_ONLY_SECTION, judgeHandoffOnly } from "./handoff.ts";
import { buildPrompt, recentTryContext } from "./prompt.ts";

// One run of the relay: up to `retry_budget` attempts on the selected runner, resuming the
// agent's session between attempts where the harness supports it. Every attempt leaves a try
// record, a try log, and (when it changed files) a commit.

export interface Task {
  name?: string;
  prompt: string;
  /** Laps mode: the lap claimed for this run. */
  lap?: LapRun;
}

export interface RunResult {
  ok: boolean;
  cancelled?: StopReason;
  lastTry?: TryRecord;
  verdict?: Verdict;
  /** Failure classes of this run's attempts, oldest first (for the pause rule). */
  failureClasses: string[];
  /** The freeze detector stopped the agent: rotate away from it. */
  frozen?: boolean;
}

/** Everything one run carries from attempt to attempt. */
interface RunCursor {
  runId: number;
  runLabel: string;
  harness: HarnessDescriptor;
  snapshot: Map<string, string>;
  leftoverWork: boolean;
  summaryStart: number;
  runDeadline: number;
  budget: number;
  failureClasses: string[];
  /** Classified tries of this run per failure category (some categories cap their own retries). */
  triesOfCategory: Map<string, number>;
  /** HEAD is tracked across attempts: each try's "after" is the next one's "before". */
  head: string;
  sessionId?: string;
  resumeNext: boolean;
  previousSummary?: string;
  previousIncomplete: boolean;
  /** The run budget ran out on a resumable session: one handoff-only try follows (laps runs). */
  handoffPending: boolean;
}

export async function runOne(ctx: RelayContext, sel: RunSelection, task: Task, runId: number): Promise<RunResult> {
  const run = await beginRun(ctx, sel, task, runId);
  let last: RunResult = { ok: false, failureClasses: run.failureClasses };
  for (let attempt = 1; attempt <= run.budget; attempt++) {
    if (ctx.control.stopRequested()) return { ...last, cancelled: "graceful_stop" };
    const t = await tryOnce(ctx, sel, task, run, attempt);
    last = { ok: t.verdict.completed, lastTry: t.record, verdict: t.verdict, failureClasses: run.failureClasses };
    if (t.verdict.completed) break;
    if (t.verdict.cancellation) return { ...last, cancelled: t.verdict.cancellation };
    if (t.result.stopReason === "pause") {
      // Ctrl+P: the agent was stopped; continue the same session once the operator is back.
      ctx.events.paused?.();
      await ctx.control.waitForResume();
      run.resumeNext = true;
      attempt--; // a pause is not a failed attempt
      continue;
    }
    if (t.result.stopReason === "frozen" || t.result.stopReason === "no_progress") {
      const why = t.result.noProgress ? `no progress (${t.result.noProgress})` : "freeze detected";
      ctx.log(`relay ${ctx.relay.id} run ${runId} ${why} for ${sel.runner.harness}; rotating`);
      return { ...last, frozen: true };
    }
    if (t.verdict.classification) run.failureClasses.push(t.verdict.classification.class);
    // Terminal failures (limits, auth, launch errors, budgets) and lap mismatches end the run.
    if (t.lapMismatch || !isRetryable(t.verdict, run) || t.endedAt >= run.runDeadline) break;
    run.previousSummary = t.summary;
    run.previousIncomplete = t.verdict.outcome === "incomplete";
    // A fresh restart drops the session; everything else continues the agent's conversation.
    run.resumeNext = t.verdict.classification?.strategy !== "fresh restart";
  }
  if (run.handoffPending && !ctx.control.stopRequested() && last.lastTry) {
    const t = await tryOnce(ctx, sel, task, run, last.lastTry.attempt_number + 1, true);
    last = { ok: t.verdict.completed, lastTry: t.record, verdict: t.verdict, failureClasses: run.failureClasses };
  }
  return last;
}

async function beginRun(ctx: RelayContext, sel: RunSelection, task: Task, runId: number): Promise<RunCursor> {
  const runLabel = `relay-${ctx.relay.id}-run-${runId}`;
  freshRunState(ctx, runLabel, task);
  // The commit identity is looked up once per relay, next to the first status: not while the
  // agent starts up, where it would compete with it.
  if (ctx.isRepo) void fallbackIdentityArgs(ctx.workspace);
  const start = ctx.knownTree.state ?? (ctx.isRepo ? await treeState(ctx.workspace) : NO_TREE);
  ctx.knownTree.state = undefined;
  return {
    runId, runLabel, harness: ctx.harnesses.resolve(sel.runner.harness),
    snapshot: start.dirty, leftoverWork: start.dirty.size > 0, head: start.head,
    summaryStart: task.lap ? ctx.store.readSummaries().length : 0,
    runDeadline: ctx.clock.now() + ctx.config.reliability.run_timeout_secs * 1000,
    // Hourly retries of a paused agent and probation runs get a short leash (spec 04 §3.1).
    budget: maxAttemptsFor(ctx.config.reliability.retry_budget, runModeOf(sel)),
    failureClasses: [], triesOfCategory: new Map(), resumeNext: false, previousIncomplete: false, handoffPending: false,
  };
}

function freshRunState(ctx: RelayContext, runLabel: string, task: Task): void {
  ctx.store.writeRunState({ run_id: runLabel, handoff_state: 0, recorded_laps: [], pinned_lap_id: task.lap?.id || undefined });
}

/** One try: prompt, spawn, judge, commit, record. */
async function tryOnce(ctx: RelayContext, sel: RunSelection, task: Task, run: RunCursor, attempt: number, handoffOnly = false) {
  const { store } = ctx;
  const resume = run.harness.caps.resume && (run.resumeNext || handoffOnly) ? run.sessionId : undefined;
  // Laps: a fresh (non-resumed) attempt starts from a clean run-state, dropping the failed attempt's progress.
  if (attempt > 1 && task.lap && !resume) freshRunState(ctx, run.runLabel, task);
  else if (attempt > 1) store.updateRunState({ session_id: run.sessionId });
  const tryId = store.nextTryId();
  const prompt = attemptPrompt(ctx, task, run, handoffOnly);
  store.writeCurrentTask(prompt);
  const logPath = join(ctx.logDirs.tries, `try-${tryId}.log`);
  const headBefore = run.head;
  const startedAt = ctx.clock.now();
  store.updateRunState({
    active_relay_id: ctx.relay.id, active_run_id: run.runId, active_try_id: tryId, active_log_path: logPath,
    active_started_at: isoSeconds(startedAt), active_agent_type: sel.runner.harness, active_model: sel.runner.model, active_attempt: attempt,
  });
  ctx.events.tryStarted({ tryId, runId: run.runId, attempt, harness: sel.runner.harness, model: sel.runner.model, logPath });
  const result = await runAttempt({
    harness: run.harness,
    invocation: {
      prompt, model: sel.runner.model, resumeSessionId: resume, workspace: ctx.workspace,
      effortArgs: sel.runner.effort ? effortArgs(sel.runner.harness, sel.runner.effort).args : [],
      config: ctx.harnessConfig(sel.runner.harness),
    },
    logPath, baseEnv: ctx.env, ...budgets(ctx, run, handoffOnly, startedAt),
    control: ctx.control.attempt(),
    // The handoff-only try is bounded by its own budget alone (spec 04 §8.3).
    monitor: handoffOnly ? undefined : monitorSettings(ctx),
    onStart: (pid, stop, latest) => {
      store.updateRunState({ active_pid: pid, active_bin: run.harness.bin });
      ctx.events.agentStarted?.({ pid, logPath, stop, latest });
    },
  });
  result.notes.forEach((n) => ctx.events.note(n));
  const endedAt = ctx.clock.now();
  const assessed = await assessAttempt(ctx, sel, task, result, {
    runId: run.runId, runLabel: run.runLabel, attempt, headBefore, snapshot: run.snapshot, summaryStart: run.summaryStart, runtimeMs: endedAt - startedAt, now: endedAt,
  });
  run.sessionId = result.result.sessionId ?? run.sessionId;
  const category = assessed.verdict.classification?.category;
  if (category) run.triesOfCategory.set(category, (run.triesOfCategory.get(category) ?? 0) + 1);
  if (handoffOnly) {
    run.handoffPending = false;
    assessed.verdict = judgeHandoffOnly(result, assessed.lapsEval);
    assessed.git = { ...assessed.git, filesChanged: [], commitHistory: [] };
  } else if (task.lap && result.stopReason === "run_timeout") {
    const chance = handoffChance(run.harness.caps.resume, run.sessionId);
    if (chance.ok) run.handoffPending = true;
    else assessed.verdict = handoffImpossible(assessed.verdict, chance.reason);
  }
  const record = await recordTry(ctx, sel, task, run, { ...assessed, result, tryId, attempt, logPath, startedAt, endedAt, handoffOnly });
  return { ...assessed, result, record, endedAt };
}

/** Commit what is left (stub summary, state fold), append the try record, report it. */
async function recordTry(
  ctx: RelayContext, sel: RunSelection, task: Task, run: RunCursor,
  t: Awaited<ReturnType<typeof assessAttempt>> & { result: AttemptResult; tryId: number; attempt: number; logPath: string; startedAt: number; endedAt: number; handoffOnly: boolean },
): Promise<TryRecord> {
  const { git, verdict, summary, lapsEval } = t;
  const { lap } = task;
  run.head = git.head;
  if (git.autoCommitted) ctx.ownCommits.add(git.head); // a later fold may amend it, never an agent's commit
  const retries = !t.lapMismatch && t.attempt < run.budget && t.endedAt < run.runDeadline && !verdict.completed && isRetryable(verdict, run) && t.result.stopReason !== "frozen" && t.result.stopReason !== "no_progress";
  const runEnds = !verdict.cancellation && t.result.stopReason !== "pause" && !retries && !run.handoffPending;
  // The agent did not record progress itself: keep a stub entry, committed with this try.
  const stubAfterCommit = runEnds && writeStubSummary(ctx, run.runLabel, summary, lapsEval);
  // After an auto-commit (`git add -A`) only a late stub can still need committing.
  const folded = git.autoCommitted && !stubAfterCommit ? undefined : await foldAfterTry(ctx, run.runId, t.attempt, git.commitHistory, git.autoCommitted);
  if (folded?.head) run.head = folded.head;
  // rally just committed everything (`add -A`), so the tree is clean at `head`.
  ctx.knownTree.state = git.autoCommitted && !folded ? { head: run.head, dirty: new Map() } : undefined;
  const r = t.result;
  const record = ctx.store.appendTry({
    id: t.tryId, run_id: run.runId, relay_id: ctx.relay.id, agent_type: sel.runner.harness, model: sel.runner.model || undefined,
    completed: verdict.completed, outcome: verdict.outcome, cancellation_source: verdict.cancellation,
    resolved_route: sel.lane, summary, files_changed: git.filesChanged, commit_history: folded?.history ?? git.commitHistory,
    started_at: isoSeconds(t.startedAt), ended_at: isoSeconds(t.endedAt), attempt_number: t.attempt, log_path: t.logPath,
    fail_reason: verdict.failReason, category: verdict.classification?.category, runtime_ms: t.endedAt - t.startedAt,
    exit_code: r.exit.exitCode, session_id: r.result.sessionId, tool_calls: r.result.toolCalls,
    usage: r.result.usage, cost_usd: r.result.costUsd, ...(lap ? lapsTryFields(lap, lapsEval) : {}),
    ...(t.handoffOnly ? { handoff_only: true } : {}),
  });
  ctx.store.updateRunState(CLEAR_ACTIVE);
  ctx.log(`relay ${ctx.relay.id} run ${run.runId} attempt ${t.attempt} result: completed=${verdict.completed} outcome="${verdict.outcome}" fail_reason="${verdict.failReason ?? ""}" runtime=${t.endedAt - t.startedAt}ms files_changed=${git.filesChanged?.length ?? 0} commit="${record.commit_hash.slice(0, 7)}"${lap ? lapsLogFields(lap, lapsEval) : ""}`);
  await ctx.events.tryEnded({ record, verdict, workspace: ctx.workspace });
  return record;
}

/** The normal try cap and run deadline, or the handoff budget alone for the continuation. */
function budgets(ctx: RelayContext, run: RunCursor, handoffOnly: boolean, startedAt: number): { tryTimeoutMs: number; runDeadline: number } {
  const r = ctx.config.reliability;
  if (!handoffOnly) return { tryTimeoutMs: r.try_timeout_secs * 1000, runDeadline: run.runDeadline };
  return { tryTimeoutMs: r.handoff_timeout_secs * 1000, runDeadline: startedAt + r.handoff_timeout_secs * 1000 };
}

const CLEAR_ACTIVE = {
  active_relay_id: undefined, active_run_id: undefined, active_try_id: undefined, active_log_path: undefined, active_started_at: undefined,
  active_agent_type: undefined, active_model: undefined, active_attempt: undefined, active_pid: undefined, active_bin: undefined,
};

function attemptPrompt(ctx: RelayContext, task: Task, s: Pick<RunCursor, "leftoverWork" | "previousSummary" | "previousIncomplete">, handoffOnly = false): string {
  const { lap } = task;
  const r = ctx.config.reliability;
  return buildPrompt({
    mode: lap ? "laps" : "free-run",
    role: lap?.role,
    leftoverWork: s.leftoverWork,
    taskName: lap ? lap.title : task.name,
    taskRequirements: lap?.requirements,
    roleInstructions: lap?.roleInstructions,
    instructions: ctx.instructions,
    taskPrompt: handoffOnly && lap ? `${lap.prompt}\n\n${HANDOFF_ONLY_SECTION}`
      : lap ? (s.previousIncomplete ? `${lap.prompt}\n\n${INCOMPLETE_RETRY_GUIDANCE}` : lap.prompt) : task.prompt,
    previousSummary: s.previousSummary,
    recentTries: recentTryContext(ctx.store.triesOfRelay(ctx.relay.id), r.recent_try_count, r.recent_try_char_limit),
  });
}

/** Commits, verdict and summary of a finished attempt; in laps mode also what the laps hooks recorded. */
async function assessAttempt(
  ctx: RelayContext, sel: RunSelection, task: Task, result: AttemptResult,
  o: { runId: number; runLabel: string; attempt: number; headBefore: string; snapshot: Map<string, string>; summaryStart: number; runtimeMs: number; now: number },
) {
  const { lap } = task;
  const harness = sel.runner.harness;
  const after = ctx.isRepo ? await treeState(ctx.workspace) : NO_TREE;
  const lapsEval = lap ? await evaluateLapsAttempt(ctx, { lapId: lap.id, summaryStart: o.summaryStart, snapshot: o.snapshot, after: after.dirty, executorCompleted: result.result.completed }) : undefined;
  const ownSummary = result.result.summary || fallbackSummary(result.stdoutTail, result.exit.launchError);
  const git = await captureGitEffect({
    workspace: ctx.workspace, headBefore: o.headBefore, snapshot: o.snapshot, after, isRepo: ctx.isRepo, runHooks: ctx.config.run_hooks_on_autocommit,
    message: `rally: run ${o.runId} attempt ${o.attempt} (${harness})`, autoCommit: lapsEval ? mayAutoCommit(lapsEval) : true,
    // A free-run try that exited cleanly with changes succeeds and ends the run: its summary
    // entry goes into the same commit instead of a second, amending one.
    beforeCommit: !lap && exitedCleanly(result) ? () => writeStubSummary(ctx, o.runLabel, ownSummary) : undefined,
  });
  if (git.warning) {
    ctx.log(`run ${o.runId} attempt ${o.attempt}: ${git.warning}`);
    ctx.events.warn(git.warning.split("\n")[0]!);
  }
  const verdict = judgeAttempt({ harness, attempt: result, git, runtimeMs: o.runtimeMs, now: o.now });
  if (!lapsEval) return { git, verdict, summary: ownSummary, lapsEval, lapMismatch: false };
  const summary = lapsSummary(lapsEval, ownSummary);
  const prefix = `relay ${ctx.relay.id} run ${o.runId} attempt ${o.attempt} `;
  const judged = judgeLapsAttempt(verdict, lapsEval, { harness, summary, now: o.now, log: (l) => ctx.log(prefix + l) });
  return { git, verdict: judged.verdict, summary, lapsEval, lapMismatch: judged.endRun };
}

/** Exit 0, not stopped, and the harness judged its own run complete. */
function exitedCleanly(r: AttemptResult): boolean {
  return !r.exit.launchError && !r.stopReason && r.exit.exitCode === 0 && r.result.completed;
}

/** Returns whether it wrote an entry (not when `rally progress` already finalized the run). */
function writeStubSummary(ctx: RelayContext, runLabel: string, summary: string, laps?: LapsAttempt): boolean {
  if (!ctx.store.readRunState()) return false;
  const lapsCompleted = laps ? (laps.recordedLaps.length ? laps.recordedLaps : "none") : undefined;
  ctx.store.appendSummary({ run_id: runLabel, summary: summary || "(agent exited without finalizing)", updated_at: isoSeconds(ctx.clock.now()), laps_completed: lapsCompleted });
  ctx.store.deleteRunState();
  return true;
}

function monitorSettings(ctx: RelayContext): MonitorSettings {
  const r = ctx.config.reliability;
  return {
    stallThresholdS: r.stall_threshold_secs,
    connectedWindowS: r.connected_idle_secs,
    onVerdict: (v) => {
      if (v.state === "frozen") ctx.log(`relay ${ctx.relay.id} freeze detected: ${v.reason}`);
      ctx.events.agentState?.({ state: v.state, reason: v.reason });
    },
    livenessProbe: r.liveness_probe,
    onProbe: (probe) => ctx.log(`relay ${ctx.relay.id} ${probe.text}`),
  };
}

function isRetryable(v: Verdict, run: RunCursor): boolean {
  const c = v.classification;
  return retriesAfter(c, c ? (run.triesOfCategory.get(c.category) ?? 0) : 0);
}

async function foldAfterTry(ctx: RelayContext, runId: number, attempt: number, history: string[], autoCommitted: boolean): Promise<{ history: string[]; head?: string }> {
  if (!ctx.isRepo) return { history };
  // Only rally's own commits may be amended by a fold, never the agent's.
  if (autoCommitted && history.length) ctx.ownCommits.add(history.at(-1)!);
  const fold = await foldState(ctx.workspace, (hash) => ctx.ownCommits.has(hash));
  if (fold.error) ctx.log(`relay ${ctx.relay.id} run ${runId} attempt ${attempt} rally state fold warning: ${fold.error}`);
  if (!fold.hash) return { history };
  ctx.ownCommits.add(fold.hash);
  // An amend replaces the try's own commit; keep the record pointing at what is in history.
  return { history: fold.amended && autoCommitted && history.length ? [...history.slice(0, -1), fold.hash] : history, head: fold.hash };
}

function fallbackSummary(stdoutTail: string, launchError?: string): string {
  if (launchError) return `harness error: ${launchError}`;
  const tail = stdoutTail.trim();
  return tail ? tail.slice(-1000) : "(agent produced no final summary)";
}
