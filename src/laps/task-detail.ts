// Pure parsers and formatters for laps text (spec 05 §6.2, §7; spec 09 §2.3, §3.3–§3.6).
import { RallyError } from "../errors.ts";
import type { ClaimedLap, NoLapReason, TaskDetail } from "./schema.ts";

const UNDO_HINT = "\n\n-----\nNot the lap you intended";

/**
 * Parses `laps claim` / `laps get head` output: cut the undo hint, drop one trailing newline,
 * line 1 = title, optional `Assignee: ` line 2, description from the line after the blank line.
 */
export function parseTaskDetail(text: string): TaskDetail {
  const cut = text.indexOf(UNDO_HINT);
  let body = cut >= 0 ? text.slice(0, cut) : text;
  if (body.endsWith("\n")) body = body.slice(0, -1);
  const lines = body.split("\n");
  if (lines.length < 2) {
    throw new RallyError("LAPS_TASK_FORMAT", `unexpected laps task output format: ${JSON.stringify(text)}`);
  }
  const title = lines[0]!;
  const second = lines[1]!;
  if (second.startsWith("Assignee: ")) {
    return { title, assignee: second.slice("Assignee: ".length), description: lines.slice(3).join("\n") };
  }
  return { title, assignee: "", description: lines.slice(2).join("\n") };
}

/**
 * The lap id in `.laps/claim`: a bare id (0.8.x) or, from laps 0.9, a JSON object whose `lap`
 * field is the id. (Rally 0.10 used the raw text and so mis-pinned every 0.9 claim.)
 */
export function parseClaimFile(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return trimmed;
  try {
    const lap = (JSON.parse(trimmed) as { lap?: unknown }).lap;
    return typeof lap === "string" ? lap.trim() : trimmed;
  } catch {
    return trimmed;
  }
}

/** Queue size from `laps list` stdout: the number of non-blank lines. */
export function countListLines(stdout: string): number {
  return stdout.split("\n").filter((line) => line.trim() !== "").length;
}

/** Exit code of a head `laps claim` → why there is no lap (0.9 adds 10/11/12; 0.8 uses 3). */
export function noLapReason(exitCode: number): NoLapReason {
  if (exitCode === 3 || exitCode === 11) return "empty";
  if (exitCode === 12) return "complete";
  if (exitCode === 10) return "held";
  return "failed";
}

const FOLLOWUP_TITLE_BYTES = 30;

/**
 * Title for a handoff followup lap: the text itself when ≤ 30 UTF-8 bytes, else its first 30 bytes
 * plus `...` (cut back to a character boundary so the title stays valid UTF-8).
 */
export function followupLapTitle(followup: string): string {
  const bytes = Buffer.from(followup, "utf8");
  if (bytes.length <= FOLLOWUP_TITLE_BYTES) return followup;
  let end = FOLLOWUP_TITLE_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString("utf8")}...`;
}

/** What a run needs from its lap (spec 05 §6.2 "The run's task"). */
export interface LapTask {
  name: string;
  prompt: string;
  assignee: string;
  /** `Lap ID: <id>` and `Assignee: <a>` lines, each only when non-empty, joined by `\n`. */
  requirements: string;
  lapId: string;
}

export function lapToTask(lap: ClaimedLap): LapTask {
  const requirements = [lap.id && `Lap ID: ${lap.id}`, lap.assignee && `Assignee: ${lap.assignee}`]
    .filter(Boolean)
    .join("\n");
  return {
    name: lap.title,
    prompt: lap.description.trim() ? lap.description : lap.title,
    assignee: lap.assignee,
    requirements,
    lapId: lap.id,
  };
}

const MARKERS = ["laps done", "laps handoff"] as const;

/**
 * Spec 04 "laps marker as text": a summary line that equals or starts with `laps done ` /
 * `laps handoff ` means the agent printed the command instead of running it.
 */
export function findLapsMarkerText(summary: string): (typeof MARKERS)[number] | undefined {
  for (const raw of summary.split("\n")) {
    const line = raw.trim();
    const hit = MARKERS.find((m) => line === m || line.startsWith(`${m} `));
    if (hit) return hit;
  }
  return undefined;
}
