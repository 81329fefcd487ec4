// Rally's calls into the laps CLI (cwd = workspace) and its direct reads of `.laps/` (spec 05 §6.2).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lapsFilePath } from "./detect.ts";
import { runLaps, type LapsContext } from "./exec.ts";
import { LapsFile, type ClaimResult, type TaskDetail } from "./schema.ts";
import { countListLines, followupLapTitle, noLapReason, parseClaimFile, parseTaskDetail } from "./task-detail.ts";

/** The claimed lap id from `.laps/claim` ("" when missing or blank). */
export function readClaimedLapId(ws: string): string {
  const path = join(ws, ".laps", "claim");
  if (!existsSync(path)) return "";
  try {
    return parseClaimFile(readFileSync(path, "utf8"));
  } catch {
    return "";
  }
}

/**
 * Start of every run: `laps claim` → parse the task detail → read `.laps/claim` → `laps list`.
 * Any non-zero claim exit (even a missing binary) is "no lap". Malformed claim output throws
 * RallyError LAPS_TASK_FORMAT (the runner reports `claim head lap: <message>`).
 */
export async function claimHeadLap(ctx: LapsContext): Promise<ClaimResult> {
  const claim = await runLaps(ctx, ["claim"]);
  if (claim.code !== 0) {
    return { kind: "none", reason: noLapReason(claim.code), exitCode: claim.code, detail: claim.stderr.trim() };
  }
  const detail = parseTaskDetail(claim.stdout);
  const id = readClaimedLapId(ctx.ws);
  const list = await runLaps(ctx, ["list"]);
  const remaining = list.code === 0 ? countListLines(list.stdout) : 0;
  return { kind: "lap", lap: { id, ...detail }, remaining };
}

/** `laps get head` for startup route validation: undefined on any failure ("no lap"). */
export async function getHeadLap(ctx: LapsContext): Promise<TaskDetail | undefined> {
  const r = await runLaps(ctx, ["get", "head"]);
  if (r.code !== 0) return undefined;
  try {
    return parseTaskDetail(r.stdout);
  } catch {
    return undefined;
  }
}

export type AddLapResult = { ok: true; id: string } | { ok: false; error: string };

/**
 * A handoff followup becomes a head lap: `laps add head --title <t> --description <followup>`.
 * The trimmed combined stdout+stderr is the new id. On failure `error` holds what
 * `rally progress` prints as `warn: failed to create lap for followup "<f>": <error>`.
 */
export async function addFollowupLap(ctx: LapsContext, followup: string): Promise<AddLapResult> {
  const r = await runLaps(ctx, ["add", "head", "--title", followupLapTitle(followup), "--description", followup]);
  const output = `${r.stdout}${r.stderr}`.trim();
  if (r.code !== 0) {
    const why = `exit status ${r.code}`;
    return { ok: false, error: output ? `${why}: ${output}` : why };
  }
  return { ok: true, id: output };
}

/** Reads `.laps/laps.json` leniently (any schema version); undefined when missing or unreadable. */
export function readLapsFile(ws: string): LapsFile | undefined {
  try {
    const parsed = LapsFile.safeParse(JSON.parse(readFileSync(lapsFilePath(ws), "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Is lap `id` done per `.laps/laps.json` (`isDone` or non-blank `completedAt`)? undefined = unknown. */
export function isLapDone(ws: string, id: string): boolean | undefined {
  const lap = readLapsFile(ws)?.tasks.find((t) => t.id === id);
  if (!lap) return undefined;
  return lap.isDone === true || (lap.completedAt ?? "").trim() !== "";
}

/** For `rally routes check`: every assignee in the queue file, trimmed and lower-cased, deduplicated. */
export function collectAssignees(ws: string): string[] {
  const file = readLapsFile(ws);
  if (!file) return [];
  const seen = new Set<string>();
  for (const lap of file.tasks) {
    const a = (lap.assignee ?? "").trim().toLowerCase();
    if (a) seen.add(a);
  }
  return [...seen];
}
