// Test laps: `claim`, `claim undo`, `done`, `done undo` (spec 09 §3.5, §3.7, §5).
import { basename } from "node:path";
import { openStore, parseArgs, withHooks, type Ctx, type Store } from "./context.ts";
import { clearClaim, readClaimId, writeClaim } from "./claim-file.ts";
import { resolveTarget, targetError, taskDetail } from "./lap-commands.ts";
import { LapsExit, findLap, headLap, loadQueue, nowIso, saveQueue, type Lap } from "./store.ts";

const CLAIM_HINT = "\n\n-----\nNot the lap you intended to claim? Undo with 'laps claim undo'\n";
const DONE_HINT = "\n\n-----\nNot the lap you intended to mark done? Undo with 'laps done undo'\n";
const UNDO_WINDOW_MS = 5 * 60 * 1000;

export function cmdClaim(ctx: Ctx, tokens: string[]): number {
  const args = parseArgs(tokens, {});
  if (args.positionals[0] === "undo") return claimUndo(ctx, args.positionals);
  const target = args.positionals[0] ?? "head";
  const store = openStore(ctx, true);
  const laps = loadQueue(store.file);
  const lap = resolveTarget(laps, target);
  return withHooks(ctx, store, "claim", args.positionals, lap, () => {
    if (!lap) throw targetError(ctx, laps, target);
    writeClaim(store.root, lap.id, ctx.mode, basename(store.file));
    return { stdout: `${taskDetail(lap)}${CLAIM_HINT}`, output: lap.id, lap };
  });
}

function claimUndo(ctx: Ctx, positionals: string[]): number {
  const store = openStore(ctx, true);
  const laps = loadQueue(store.file);
  const claimed = readClaimId(store.root);
  if (!claimed) throw new LapsExit(3, "no claimed lap to clear");
  const title = findLap(laps, claimed)?.title ?? claimed;
  return withHooks(ctx, store, "claim-undo", positionals, undefined, () => {
    clearClaim(store.root);
    return { stdout: `Claim cleared for ${claimed}: ${title}\n`, output: claimed };
  });
}

/** Bare `done`: the claimed lap, never the head; validation failures fire no hooks. */
function claimedTarget(store: Store, laps: Lap[]): Lap {
  const claimed = readClaimId(store.root);
  if (!claimed) {
    const head = headLap(laps);
    throw new LapsExit(3, head
      ? `no claimed lap. head task is ${head.id}: ${head.title}. use 'laps claim' or 'laps done <id>'`
      : "no claimed lap and no head task");
  }
  const lap = findLap(laps, claimed);
  if (!lap) throw new LapsExit(3, `claimed lap ${claimed} not found`);
  if (lap.isDone) throw new LapsExit(3, `claimed lap ${lap.id} (${lap.title}) is already done`);
  return lap;
}

function explicitTarget(laps: Lap[], id: string): Lap {
  const lap = findLap(laps, id);
  if (!lap) throw new LapsExit(3, "task not found");
  if (lap.isDone) throw new LapsExit(3, `task ${lap.id} (${lap.title}) is already done`);
  return lap;
}

export function cmdDone(ctx: Ctx, tokens: string[]): number {
  const args = parseArgs(tokens, { "--yes": "bool" });
  if (args.positionals[0] === "undo") return doneUndo(ctx, args.positionals, args.flags.has("--yes"));
  const store = openStore(ctx, true);
  const laps = loadQueue(store.file);
  const id = args.positionals[0];
  const target = id ? explicitTarget(laps, id) : claimedTarget(store, laps);
  return withHooks(ctx, store, "done", args.positionals, target, () => {
    const fresh = loadQueue(store.file); // re-read: a before hook may have changed the queue
    const lap = findLap(fresh, target.id);
    if (!lap) throw new LapsExit(3, "task not found");
    const now = nowIso();
    Object.assign(lap, { isDone: true, completedAt: now, updatedAt: now });
    saveQueue(store.file, fresh);
    if (readClaimId(store.root) === lap.id) clearClaim(store.root);
    return { stdout: `${lap.title}${DONE_HINT}`, output: lap.id, lap };
  });
}

/** Go's time.Duration string for whole seconds: `45s`, `10m0s`, `1h2m3s`. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}

function doneUndo(ctx: Ctx, positionals: string[], force: boolean): number {
  const store = openStore(ctx, true);
  const laps = loadQueue(store.file);
  const done = laps.filter((l) => l.isDone)
    .sort((a, b) => Date.parse(b.completedAt ?? "") - Date.parse(a.completedAt ?? ""));
  const last = done[0];
  if (!last) throw new LapsExit(3, "no completed task to undo");
  const age = Date.now() - Date.parse(last.completedAt ?? "");
  if (age > UNDO_WINDOW_MS && !force) {
    throw new LapsExit(3, `last completed task ${last.id} (${last.title}) was completed ${goDuration(age)} ago; use 'laps done undo -y' to force`);
  }
  return withHooks(ctx, store, "done-undo", positionals, last, () => {
    const fresh = loadQueue(store.file);
    const lap = findLap(fresh, last.id);
    if (!lap) throw new LapsExit(3, "task not found");
    Object.assign(lap, { isDone: false, completedAt: null, updatedAt: nowIso() });
    saveQueue(store.file, fresh);
    return { stdout: `Done state cleared for ${lap.title} (${lap.id})\n`, output: lap.id, lap };
  });
}
