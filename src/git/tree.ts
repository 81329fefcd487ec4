import { existsSync, readFileSync } from "node:fs";
import { join } from "pathe";
import { fallbackIdentityArgs, git } from "./git.ts";
import { headFromRefFiles } from "./head-ref.ts";

// What a try did to the work tree: dirty snapshots, commits it made, and rally's own commits
// (auto-commit of the agent's changes, folding of rally's state files).

/** Paths rally owns or that are transient; they never count as the agent's changes. */
export function isRallyOwnedPath(path: string): boolean {
  return path.startsWith(".rally/") || path.startsWith(".laps/") || path === ".claude/settings.local.json";
}

export interface TreeState {
  /** HEAD's full hash, "" on an unborn branch or outside a repo. */
  head: string;
  /** Dirty paths (rally-owned ones excluded) → status letters and a content hash. */
  dirty: Map<string, string>;
}

export const NO_TREE: TreeState = { head: "", dirty: new Map() };

/**
 * `git status --porcelain=v2 --branch -z` → HEAD and path → two status letters (`.` read as
 * unchanged, so ` M` and `M ` both read `M `). One call answers both questions a try asks.
 */
export function parseStatusV2(text: string): { head: string; entries: Map<string, string> } {
  const records = text.split("\0");
  const entries = new Map<string, string>();
  let head = "";
  for (let i = 0; i < records.length; i++) {
    const rec = records[i]!;
    if (rec.startsWith("# branch.oid ")) head = rec.slice(13) === "(initial)" ? "" : rec.slice(13);
    if (rec.startsWith("#") || rec.length < 3) continue;
    const kind = rec[0];
    let status: string;
    let path: string;
    if (kind === "?" || kind === "!") {
      status = kind + kind;
      path = rec.slice(2);
    } else {
      const fields = rec.split(" ");
      status = fields[1]!.replace(/\./g, " ").trim().padEnd(2);
      // Path is the last field (it may contain spaces): 1 → 8 fields before it, 2 → 9, u → 10.
      const before = kind === "1" ? 8 : kind === "2" ? 9 : 10;
      path = fields.slice(before).join(" ");
      if (kind === "2") i++; // a rename carries its original path as the next record
    }
    if (kind !== "!" && !isRallyOwnedPath(path)) entries.set(path, status);
  }
  return { head, entries };
}

/**
 * HEAD plus the dirty paths with a hash of their content. The hash matters: an agent that edits
 * a file that was already modified (leftovers from a crashed run) changes no status letter.
 */
export async function treeState(cwd: string): Promise<TreeState> {
  const r = await git(cwd, ["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all"]);
  if (r.code !== 0) return NO_TREE;
  const { head, entries } = parseStatusV2(r.stdout);
  const dirty = new Map<string, string>();
  for (const [path, status] of entries) dirty.set(path, `${status}:${contentHash(join(cwd, path))}`);
  return { head, dirty };
}

/** How many paths the agent has changed so far (the live status line's count; no hashing). */
export async function changedPathCount(cwd: string): Promise<number> {
  const r = await git(cwd, ["status", "--porcelain=v2", "-z", "--untracked-files=all"]);
  return r.code === 0 ? parseStatusV2(r.stdout).entries.size : 0;
}

function contentHash(path: string): string {
  try {
    return Bun.hash(readFileSync(path)).toString(36);
  } catch {
    return "-"; // deleted, or a directory
  }
}

/** Porcelain XY codes of a path a merge left unmerged (both sides changed it, or one deleted it). */
const UNMERGED = new Set(["DD", "AU", "UD", "UA", "DU", "AA", "UU"]);

/**
 * Unmerged paths whose file still holds conflict markers. `git add -A` would stage them as
 * resolved, markers and all; an unmerged file without markers has been resolved by hand (or by the
 * agent) and only waits for its `git add`.
 */
export function unresolvedConflicts(cwd: string, state: TreeState): string[] {
  return [...state.dirty]
    .filter(([path, status]) => UNMERGED.has(status.slice(0, 2)) && hasConflictMarkers(join(cwd, path)))
    .map(([path]) => path);
}

function hasConflictMarkers(path: string): boolean {
  try {
    const text = readFileSync(path, "latin1");
    return /^<{7}(?: |$)/m.test(text) && /^>{7}(?: |$)/m.test(text);
  } catch {
    return false; // deleted: `git add -A` records the deletion, which is a resolution
  }
}

/** Paths whose status or content is new or different from the run-start snapshot. */
export function ownChanges(before: Map<string, string>, now: Map<string, string>): string[] {
  return [...now].filter(([path, status]) => before.get(path) !== status).map(([path]) => path);
}

export async function headCommit(cwd: string): Promise<string> {
  const r = await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"]);
  return r.code === 0 ? r.stdout.trim() : "";
}

/** HEAD right after a commit rally made in the repo rooted at `root`: from the ref files when it can. */
async function committedHead(root: string): Promise<string> {
  return headFromRefFiles(root) ?? (await headCommit(root));
}

/**
 * Rally commits once or twice per try; git's auto maintenance check after each is a process of its
 * own. It is switched off for those commits and run once when the relay ends (runAutoMaintenance),
 * which sees the same loose-object counts.
 */
const NO_AUTO_MAINTENANCE = ["-c", "maintenance.auto=false"];

/** `git maintenance run --auto` once, after a relay's commits; failures (old git) are ignored. */
export async function runAutoMaintenance(cwd: string): Promise<void> {
  await git(cwd, ["maintenance", "run", "--auto", "--quiet"]);
}

export async function commitsBetween(cwd: string, before: string, after: string): Promise<string[]> {
  const range = before ? [`${before}..${after}`] : [after];
  const r = await git(cwd, ["rev-list", "--reverse", ...range]);
  const list = r.code === 0 ? r.stdout.split("\n").filter(Boolean) : [];
  return list.length ? list : [after];
}

export async function changedFiles(cwd: string, before: string, after: string): Promise<string[]> {
  const args = before ? ["diff", "--name-only", before, after] : ["show", "--name-only", "--format=", after];
  const r = await git(cwd, args);
  // The agent's files only: rally's own state commits ride along in the same commits.
  return r.code === 0 ? r.stdout.split("\n").filter((p) => p && !isRallyOwnedPath(p)) : [];
}

export interface CommitOutcome {
  hash?: string;
  error?: string;
}

const NOTHING_TO_COMMIT = /nothing (added )?to commit|no changes added to commit/;

/** `git add -A` and commit everything, for the agent's uncommitted changes. */
export async function commitAll(cwd: string, message: string, runHooks: boolean): Promise<CommitOutcome> {
  const add = await git(cwd, ["add", "-A"]);
  if (add.code !== 0) return { error: add.stderr.trim() };
  const identity = await fallbackIdentityArgs(cwd);
  const r = await git(cwd, [...identity, ...NO_AUTO_MAINTENANCE, "commit", "-q", ...(runHooks ? [] : ["--no-verify"]), "-m", message]);
  if (r.code !== 0) {
    const out = (r.stderr || r.stdout).trim();
    return NOTHING_TO_COMMIT.test(r.stdout + r.stderr) ? {} : { error: out };
  }
  return { hash: await committedHead(cwd) };
}

/** HEAD's hash and subject in one call ("" for both on an unborn branch). */
async function headInfo(cwd: string): Promise<{ hash: string; subject: string }> {
  const r = await git(cwd, ["log", "-1", "--format=%H%x00%s"]);
  if (r.code !== 0) return { hash: "", subject: "" };
  const [hash = "", subject = ""] = r.stdout.trim().split("\0");
  return { hash, subject };
}

/**
 * Commit rally's tracked state (`.rally/summary.jsonl`, `.laps/…`) after a try. A `rally:` commit
 * made by this relay is amended (`[+state]`) so state-only changes do not pile up commits; older
 * commits are never rewritten (they may be pushed). Only paths that exist are staged (0.10 named
 * both and failed without `.laps/`), and nothing else the agent staged is swept in.
 */
export async function foldState(cwd: string, isOwnCommit: (hash: string) => boolean): Promise<CommitOutcome & { amended?: boolean }> {
  const paths = [".rally", ".laps"].filter((p) => existsSync(join(cwd, p)));
  if (!paths.length) return {};
  const add = await git(cwd, ["add", "--", ...paths]);
  if (add.code !== 0) return { error: add.stderr.trim() };
  const staged = await git(cwd, ["diff", "--cached", "--quiet", "--", ...paths]);
  if (staged.code === 0) return {};
  const identity = await fallbackIdentityArgs(cwd);
  const { hash: head, subject } = await headInfo(cwd);
  const amend = subject.startsWith("rally:") && isOwnCommit(head);
  const message = amend ? (subject.endsWith("[+state]") ? subject : `${subject} [+state]`) : "rally: update state";
  const r = await git(cwd, [...identity, ...NO_AUTO_MAINTENANCE, "commit", "-q", "--no-verify", ...(amend ? ["--amend"] : []), "-m", message, "--", ...paths]);
  if (r.code !== 0) return { error: (r.stderr || r.stdout).trim() };
  return { hash: await committedHead(cwd), amended: amend };
}
