// Pure rendering of the live status line, the keyboard hint line and the try footer
// (spec 06 §3, §5.1; seed §2b). Callers pass the terminal width; nothing here reads the world.
import type { TickResult } from "./sampler.ts";
import { clipToWidth, displayWidth } from "./text-width.ts";

export interface RenderOptions {
  /** Terminal columns (80 when unknown / not a TTY). */
  width: number;
  /** false for NO_COLOR / non-TTY: no SGR sequences at all. */
  color: boolean;
}

export const SEP = "  │  ";
const COMPACT_SEP = " │ ";

const SGR = { green: "92", red: "91", yellow: "93", dim: "38;5;245", rule: "38;5;240" } as const;
function paint(on: boolean, code: keyof typeof SGR, text: string): string {
  return on && text ? `\x1b[${SGR[code]}m${text}\x1b[0m` : text;
}

/** `0s`, `45s`, `3m12s`, `1h02m` (floored; hours drop the seconds). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total}s`;
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  if (h === 0) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${h}h${String(m).padStart(2, "0")}m`;
}

/** `~850 tok`, `~12k tok` from log bytes; undefined before any output. */
export function formatTokens(logBytes: number | undefined, charsPerToken = 4): string | undefined {
  if (!logBytes || logBytes <= 0 || charsPerToken <= 0) return undefined;
  const tok = Math.floor(logBytes / charsPerToken);
  return tok < 1000 ? `~${tok} tok` : `~${Math.floor(tok / 1000)}k tok`;
}

export type Marker = "stopping" | "frozen" | "recovered" | "slowing";
export const MARKER_TEXT: Record<Marker, string> = {
  stopping: "■ stopping…",
  frozen: "❄ frozen",
  recovered: "↻ recovered",
  slowing: "⚠ slowing",
};
const MARKER_COLOR: Record<Marker, keyof typeof SGR> = {
  stopping: "dim",
  frozen: "red",
  recovered: "green",
  slowing: "yellow",
};

/** Priority stopping > frozen > recovered > slowing (spec 06 §3.3). */
export function pickMarker(f: {
  stopping?: boolean;
  verdict?: "active" | "slowing" | "frozen";
  recovered?: boolean;
}): Marker | undefined {
  if (f.stopping) return "stopping";
  if (f.verdict === "frozen") return "frozen";
  if (f.recovered) return "recovered";
  if (f.verdict === "slowing") return "slowing";
  return undefined;
}

export interface StatusInput {
  elapsedMs: number;
  files: number;
  /** Age of the try log's last growth; undefined while the log does not exist (renders `—`). */
  activityAgeMs?: number;
  /** Try log size, for the `~Nk tok` estimate; omit (or 0) to hide it. */
  logBytes?: number;
  charsPerToken?: number;
  retry?: { attempt: number; max: number };
  /** A network warning such as `No TCP… (30s)`. */
  warning?: string;
  marker?: Marker;
}

type Field = { key: "elapsed" | "files" | "activity" | "retry" | "warning" | "tokens" | "marker"; text: string };
/** Fields dropped first when the line does not fit. The elapsed time and the marker always stay. */
const DROP_ORDER: Field["key"][] = ["tokens", "warning", "retry", "files", "activity"];

function statusFields(input: StatusInput, compact: boolean): Field[] {
  const age =
    input.activityAgeMs === undefined
      ? "—"
      : `${formatDuration(Math.min(input.activityAgeMs, input.elapsedMs))} ago`;
  const n = input.files;
  const fields: Field[] = [
    { key: "elapsed", text: `⏱ ${formatDuration(input.elapsedMs)}` },
    { key: "files", text: compact ? `📁 ${n}` : `📁 ${n} ${n === 1 ? "file" : "files"}` },
    { key: "activity", text: compact ? `last: ${age}` : `last activity: ${age}` },
  ];
  if (input.retry && input.retry.attempt > 1 && input.retry.max > 0) {
    fields.push({ key: "retry", text: `retry ${input.retry.attempt}/${input.retry.max}` });
  }
  if (input.warning) fields.push({ key: "warning", text: input.warning });
  const tokens = formatTokens(input.logBytes, input.charsPerToken);
  if (tokens) fields.push({ key: "tokens", text: tokens });
  if (input.marker) fields.push({ key: "marker", text: MARKER_TEXT[input.marker] });
  return fields;
}

/**
 * `⏱ 3m12s  │  📁 4 files  │  last activity: 45s ago  │  ~12k tok  │  ⚠ slowing`, fitted into
 * width − 1 columns (so it can never wrap): optional fields are dropped, then a compact layout is
 * used, then the line is clipped with `…`.
 */
export function renderStatusLine(input: StatusInput, opts: RenderOptions): string {
  const max = Math.max(1, opts.width - 1);
  const layouts = [false, true].map((compact) => ({ fields: statusFields(input, compact), sep: compact ? COMPACT_SEP : SEP }));
  // Prefer keeping fields over spacious separators: at each drop level try full, then compact.
  for (let drop = 0; drop <= DROP_ORDER.length; drop++) {
    const gone = new Set(DROP_ORDER.slice(0, drop));
    for (const { fields, sep } of layouts) {
      const kept = fields.filter((f) => !gone.has(f.key));
      if (displayWidth(kept.map((f) => f.text).join(sep)) > max) continue;
      return kept
        .map((f) => (f.key === "marker" && input.marker ? paint(opts.color, MARKER_COLOR[input.marker], f.text) : f.text))
        .join(sep);
    }
  }
  // Tiny terminals: the marker matters more than the clock.
  if (input.marker) return paint(opts.color, MARKER_COLOR[input.marker], clipToWidth(MARKER_TEXT[input.marker], max));
  return clipToWidth(`⏱ ${formatDuration(input.elapsedMs)}`, max);
}

export const HINT_TIERS = [
  "[Ctrl+S skip] [Ctrl+P pause] [Ctrl+X graceful stop] [Ctrl+C quit now]",
  "[^S skip] [^P pause] [^X stop] [^C quit]",
  "^S skip · ^P pause · ^X stop · ^C quit",
  "^S·^P·^X·^C",
] as const;

/** The keyboard hint: the first tier that fits the width (spec 06 §3.5), dim when coloured. */
export function renderHintLine(opts: RenderOptions): string {
  const tier = HINT_TIERS.find((t) => displayWidth(t) <= opts.width) ?? HINT_TIERS[HINT_TIERS.length - 1];
  return paint(opts.color, "dim", tier ?? "");
}

export interface FooterInput {
  outcome: "passed" | "failed" | "cancelled";
  /** Attempt number and budget; `on try a/m` / `after a tries` show only when attempt > 1. */
  attempt?: number;
  maxAttempts?: number;
  durationMs: number;
  files: number;
  /** Passed: commit hash (shortened to 7) and subject. */
  commit?: string;
  subject?: string;
  /** Failed: the failure reason, e.g. `no changes made`. */
  reason?: string;
  /** Cancelled: skip | graceful_stop | quit_now. */
  source?: string;
}

function footerOutcome(f: FooterInput): { text: string; color: keyof typeof SGR } {
  const a = f.attempt ?? 1;
  if (f.outcome === "passed") {
    return { text: a > 1 && f.maxAttempts ? `✓ passed on try ${a}/${f.maxAttempts}` : "✓ passed", color: "green" };
  }
  if (f.outcome === "failed") return { text: a > 1 ? `✗ failed after ${a} tries` : "✗ failed", color: "red" };
  return { text: "• cancelled", color: "dim" };
}

function footerExtra(f: FooterInput): string {
  if (f.outcome === "passed") {
    if (!f.commit) return "—";
    const short = f.commit.slice(0, 7);
    return f.subject ? `${short} (${f.subject})` : short;
  }
  if (f.outcome === "failed") return f.reason || "—";
  return f.source ? `source: ${f.source}` : "—";
}

/** The three footer lines: `─` rule, `✓ passed  │  3m12s  │  2 files  │  abc1234 (subject)`, `═` rule. */
export function renderFooter(f: FooterInput, opts: RenderOptions): string[] {
  const max = Math.max(1, opts.width - 1);
  const ruleWidth = Math.min(opts.width, 80);
  const outcome = footerOutcome(f);
  const parts = [formatDuration(f.durationMs), `${f.files} ${f.files === 1 ? "file" : "files"}`];
  const extra = footerExtra(f);
  // Spacious separators when the short hash fits after them, else compact ones.
  const sep = displayWidth([outcome.text, ...parts, extra.slice(0, 7)].join(SEP)) <= max ? SEP : COMPACT_SEP;
  const room = max - displayWidth([outcome.text, ...parts].join(sep)) - sep.length;
  const cells = room >= 2 ? [...parts, clipToWidth(extra, room)] : parts;
  let line = [paint(opts.color, outcome.color, outcome.text), ...cells.map((p) => paint(opts.color, "dim", p))].join(sep);
  if (displayWidth(line) > max) line = clipToWidth([outcome.text, ...cells].join(sep), max);
  return [paint(opts.color, "rule", "─".repeat(ruleWidth)), line, paint(opts.color, "rule", "═".repeat(ruleWidth))];
}

/** What the live monitor knows besides the sampler. */
export interface LiveFacts {
  elapsedMs: number;
  files: number;
  retry?: { attempt: number; max: number };
  stopping?: boolean;
  recovered?: boolean;
  /** Per-harness chars per token (claude 3.5, others 4); 0 hides the estimate. */
  charsPerToken?: number;
}

/** Builds the status-line input from the sampler's latest tick (undefined before the first tick). */
export function statusFromTick(tick: TickResult | undefined, facts: LiveFacts): StatusInput {
  return {
    elapsedMs: facts.elapsedMs,
    files: facts.files,
    retry: facts.retry,
    activityAgeMs: tick?.log ? tick.row.log_silent_s * 1000 : undefined,
    logBytes: facts.charsPerToken === 0 ? undefined : tick?.log?.size,
    charsPerToken: facts.charsPerToken,
    warning: tick?.warning,
    marker: pickMarker({ stopping: facts.stopping, verdict: tick?.verdict.state, recovered: facts.recovered }),
  };
}
