import { z } from "../zod.ts";
import type { FailureCategory } from "./categories.ts";
import { type HarnessErrorEvent, TAIL_LINES, type TryEvidence, type TryEvidenceInput } from "./evidence.ts";
import type { ResetHint } from "./reset-time.ts";
import type { RetryStrategy } from "./strategy.ts";

// The shape of one failure-table row and the one matcher every row goes through.
// Rows match plain case-insensitive substrings (regexes are kept for reset extraction), and each
// row names the streams it trusts, so an agent quoting an error in a tool result cannot trip it.

export const EvidenceStream = z.enum(["error_event", "stderr", "stdout_text", "exit_code"]);
export type EvidenceStream = z.infer<typeof EvidenceStream>;
type TextStream = Exclude<EvidenceStream, "exit_code">;
const TEXT_STREAMS: readonly TextStream[] = ["error_event", "stderr", "stdout_text"];

/** Classification walks the tables once per tier: CLI-structured facts, then text, then exit codes. */
export type MatchTier = "structured" | "text" | "exit_code";

export interface ResetContext {
  /** Lines of the streams the row trusts, original case. */
  readonly lines: readonly string[];
  readonly events: readonly HarnessErrorEvent[];
  readonly now: number;
  /** Zone of the agent process, for zone-less clock times. */
  readonly timeZone: string;
}
export type ResetExtractor = (ctx: ResetContext) => ResetHint | undefined;

/** A hit/miss example: a string goes into the row's first stream; an object is evidence as-is. */
export type FailureSample = string | Omit<TryEvidenceInput, "harness">;

export interface FailurePattern {
  readonly name: string;
  readonly category: FailureCategory;
  /** Streams this row trusts; string samples go into the first one. */
  readonly streams: readonly EvidenceStream[];
  /** Any of these substrings triggers the row. */
  readonly match?: readonly string[];
  /** All of these must also appear somewhere in the trusted streams (any line). */
  readonly alsoMatch?: readonly string[];
  /** None of these may appear in the trusted streams. */
  readonly unless?: readonly string[];
  /** An error event with one of these HTTP statuses triggers the row. */
  readonly statuses?: readonly number[];
  /** One of these exit codes triggers the row (only if `exit_code` is trusted). */
  readonly exitCodes?: readonly number[];
  /** Overrides the category's default strategy (spec 04 §2.4 rows 7, 14, 15, 18). */
  readonly strategy?: RetryStrategy;
  readonly reset?: ResetExtractor;
  readonly hits: readonly FailureSample[];
  readonly misses: readonly FailureSample[];
}

/** Evidence pre-split into normalised lines per stream. */
export interface EvidenceView {
  readonly lines: Readonly<Record<TextStream, readonly string[]>>;
  readonly lower: Readonly<Record<TextStream, readonly string[]>>;
  readonly statuses: readonly number[];
  readonly exitCode: number | null;
  readonly events: readonly HarnessErrorEvent[];
}

/** Lowercase and fold the typographic apostrophe codex prints ("You’ve"). */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[\u2018\u2019]/g, "'");
}

function eventText(e: HarnessErrorEvent): string {
  return [e.code, e.message].filter((part) => part).join(": ");
}

/** JSON event lines on stdout carry tool results and file contents: never read them. */
function isJsonEventLine(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed.startsWith("{") || trimmed.startsWith("[{");
}

export function buildEvidenceView(e: TryEvidence): EvidenceView {
  const lines: Record<TextStream, string[]> = {
    error_event: e.errorEvents.map(eventText),
    stderr: e.stderrTail.slice(-TAIL_LINES),
    stdout_text: e.stdoutTail.slice(-TAIL_LINES).filter((l) => !isJsonEventLine(l)),
  };
  const lower = Object.fromEntries(
    TEXT_STREAMS.map((s) => [s, lines[s].map(normalizeText)]),
  ) as Record<TextStream, string[]>;
  const statuses = e.errorEvents.flatMap((ev) => (ev.status === undefined ? [] : [ev.status]));
  return { lines, lower, statuses, exitCode: e.exitCode, events: e.errorEvents };
}

function textStreamsOf(row: FailurePattern, tier?: MatchTier): TextStream[] {
  const own = row.streams.filter((s): s is TextStream => s !== "exit_code");
  if (tier === "structured") return own.filter((s) => s === "error_event");
  if (tier === "text") return own.filter((s) => s !== "error_event");
  return own;
}

function findLine(view: EvidenceView, streams: readonly TextStream[], needles: readonly string[]) {
  const lowered = needles.map(normalizeText);
  for (const s of streams) {
    const index = view.lower[s].findIndex((line) => lowered.some((n) => line.includes(n)));
    if (index >= 0) return view.lines[s][index];
  }
  return undefined;
}

function containsAll(view: EvidenceView, streams: readonly TextStream[], needles: readonly string[]): boolean {
  return needles.every((n) => findLine(view, streams, [n]) !== undefined);
}

/** The line that triggered the row in this tier, or undefined when the row does not apply. */
export function matchPattern(row: FailurePattern, view: EvidenceView, tier: MatchTier): string | undefined {
  const trusted = textStreamsOf(row);
  if (row.unless?.length && findLine(view, trusted, row.unless) !== undefined) return undefined;
  if (row.alsoMatch?.length && !containsAll(view, trusted, row.alsoMatch)) return undefined;
  if (tier === "exit_code") {
    const trustsExit = row.streams.includes("exit_code") && view.exitCode !== null;
    return trustsExit && row.exitCodes?.includes(view.exitCode as number) ? `exit code ${view.exitCode}` : undefined;
  }
  const inTier = textStreamsOf(row, tier);
  const line = row.match?.length ? findLine(view, inTier, row.match) : undefined;
  if (line !== undefined) return line;
  if (tier === "structured" && inTier.length && row.statuses?.some((s) => view.statuses.includes(s))) {
    const index = view.events.findIndex((e) => e.status !== undefined && row.statuses?.includes(e.status));
    return view.lines.error_event[index] || `HTTP status ${view.events[index]?.status}`;
  }
  return undefined;
}

/** All lines the row trusts, for its reset extractor. */
export function trustedLines(row: FailurePattern, view: EvidenceView): string[] {
  return textStreamsOf(row).flatMap((s) => view.lines[s]);
}

/** Turn a hit/miss example into evidence for `harness`. */
export function sampleEvidence(row: FailurePattern, sample: FailureSample, harness: string): TryEvidenceInput {
  if (typeof sample !== "string") return { harness, exitCode: 1, ...sample };
  const text = sample.split("\n");
  switch (row.streams[0]) {
    case "error_event":
      return { harness, exitCode: 1, errorEvents: [{ message: sample }] };
    case "stdout_text":
      return { harness, exitCode: 1, stdoutTail: text };
    default:
      return { harness, exitCode: 1, stderrTail: text };
  }
}
