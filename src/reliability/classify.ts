import { z } from "../zod.ts";
import { CATEGORY_INFO, type FailureCategory, type FailureClass, labelOfCategory } from "./categories.ts";
import { type LaunchError, TryEvidence, type TryEvidenceInput } from "./evidence.ts";
import { failureRowsFor } from "./failure-tables.ts";
import { buildEvidenceView, type EvidenceView, type FailurePattern, type MatchTier, matchPattern, trustedLines } from "./pattern.ts";
import { formatResetIn } from "./reset-time.ts";
import { CATEGORY_POLICY, cooldownFor, type RetryStrategy } from "./strategy.ts";

// One decision per failed try. Priority, most trustworthy first:
//   1. launch failure (the process never ran: infra, never the agent's fault)
//   2. the CLI's structured error events (first matching row, harness rows before common rows)
//   3. rally's own wall-clock timeout
//   4. own file changes left unfinalized (incomplete)
//   5. text rows over stderr, plain-text stdout and (claude) the final assistant message
//   6. exit-code rows (gemini exits with the HTTP status)
//   7. rally's stall kill
//   8. agent_error, "unknown error"
// Structured events beat the timeout because opencode waiting out a long retry-after is a
// usage limit that only its server log names; text beats the stall flag because a stalled CLI
// often said why before it went quiet.

export const ClassificationSource = z.enum([
  "launch",
  "error_event",
  "timeout",
  "dirty_tree",
  "text",
  "exit_code",
  "stall",
  "default",
]);
export type ClassificationSource = z.infer<typeof ClassificationSource>;

export interface TryClassification {
  readonly category: FailureCategory;
  readonly class: FailureClass;
  readonly strategy: RetryStrategy;
  readonly source: ClassificationSource;
  /** Name of the table row that matched. */
  readonly pattern?: string;
  /** Usage limit: when the quota resets, epoch ms. Absent when no reset was printed. */
  readonly resetAt?: number;
  /** Usage limit: the span the CLI printed ("resets in 3h 24m"), for display. */
  readonly resetAfterMs?: number;
  /** Rate limit / overload: how long the CLI asked us to wait. */
  readonly retryAfterMs?: number;
  /** The evidence line that decided it (≤200 chars), or what happened. */
  readonly detail: string;
}

const DETAIL_MAX = 200;
const UNKNOWN_ERROR = "unknown error";

function truncate(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > DETAIL_MAX ? `${trimmed.slice(0, DETAIL_MAX - 1)}…` : trimmed;
}

function decided(category: FailureCategory, source: ClassificationSource, detail: string): TryClassification {
  return { category, class: CATEGORY_INFO[category].class, strategy: CATEGORY_POLICY[category].strategy, source, detail };
}

/**
 * Spawn errors that mean "there is no runnable program at that path": missing, not executable, or
 * not a program at all. Retrying the same agent cannot fix any of them, so all rotate at once.
 */
const UNRUNNABLE_CODES: ReadonlySet<string> = new Set(["ENOENT", "EACCES", "ENOEXEC"]);

function classifyLaunch(error: LaunchError): TryClassification {
  const missing = (error.code !== undefined && UNRUNNABLE_CODES.has(error.code)) || /not found|enoent/i.test(error.message);
  return decided(missing ? "binary_missing" : "harness_launch", "launch", truncate(error.message));
}

interface RowContext {
  readonly view: EvidenceView;
  readonly now: number;
  readonly timeZone: string;
}

function fromRow(row: FailurePattern, line: string, source: ClassificationSource, ctx: RowContext): TryClassification {
  const base = { ...decided(row.category, source, truncate(line)), pattern: row.name };
  const strategy = row.strategy ?? base.strategy;
  const hint = row.reset?.({ lines: trustedLines(row, ctx.view), events: ctx.view.events, now: ctx.now, timeZone: ctx.timeZone });
  if (!hint) return { ...base, strategy };
  if (row.category === "usage_limit") {
    const resetAt = hint.at ?? (hint.afterMs ? ctx.now + hint.afterMs : undefined);
    return { ...base, strategy, resetAt, resetAfterMs: hint.afterMs };
  }
  const retryAfterMs = hint.afterMs ?? (hint.at !== undefined ? Math.max(0, hint.at - ctx.now) : undefined);
  return { ...base, strategy, retryAfterMs };
}

function firstRowMatch(rows: readonly FailurePattern[], view: EvidenceView, tier: MatchTier) {
  for (const row of rows) {
    const line = matchPattern(row, view, tier);
    if (line !== undefined) return { row, line };
  }
  return undefined;
}

const TIER_SOURCE: Record<MatchTier, ClassificationSource> = {
  structured: "error_event",
  text: "text",
  exit_code: "exit_code",
};

/**
 * Classify one failed try. `now` anchors relative resets; `rows` defaults to the harness's
 * rows followed by the common rows.
 */
export function classifyTry(
  input: TryEvidenceInput,
  now: number,
  rows: readonly FailurePattern[] = failureRowsFor(input.harness),
): TryClassification {
  const evidence = TryEvidence.parse(input);
  if (evidence.launchError) return classifyLaunch(evidence.launchError);
  const ctx: RowContext = { view: buildEvidenceView(evidence), now, timeZone: evidence.timeZone };
  const byTier = (tier: MatchTier) => {
    const hit = firstRowMatch(rows, ctx.view, tier);
    return hit ? fromRow(hit.row, hit.line, TIER_SOURCE[tier], ctx) : undefined;
  };
  const structured = byTier("structured");
  if (structured) return structured;
  if (evidence.timedOut) return decided("timeout", "timeout", `${evidence.timedOut} timeout`);
  if (evidence.hasFileChanges && !evidence.finalized) {
    return decided("incomplete_finalization", "dirty_tree", "file changes were not finalized");
  }
  const matched = byTier("text") ?? byTier("exit_code");
  if (matched) return matched;
  if (evidence.stalled) return decided("stalled", "stall", "stall detected; killed by rally");
  return decided("agent_error", "default", UNKNOWN_ERROR);
}

/**
 * The fail reason shown in the footer, the retry line and tries.jsonl `fail_reason`
 * (spec 04 §2.8). An unmatched try keeps the caller's provisional reason ("harness error", …).
 */
export function formatFailReason(c: TryClassification, now: number, provisional = UNKNOWN_ERROR): string {
  if (c.source === "default") return provisional;
  if (c.category === "usage_limit") {
    const remaining = c.resetAfterMs && c.resetAfterMs > 0 ? c.resetAfterMs : (c.resetAt ?? now) - now;
    return remaining > 0 ? `usage limit, resets in ${formatResetIn(remaining)}` : "usage limit";
  }
  if (c.category === "short_rate_limit") {
    const waitMs = cooldownFor(c);
    return waitMs >= 60_000 ? `rate limit, waiting ${Math.floor(waitMs / 60_000)}m` : `rate limit, waiting ${Math.floor(waitMs / 1000)}s`;
  }
  return labelOfCategory(c.category);
}
