// Test laps: `add`, `get`, `list` and the shared task-detail / head resolution (spec 09 §3.3, §3.4, §3.6).
import { errLine, flagValue, openStore, parseArgs, withHooks, type Ctx, type FlagSpec, type ParsedArgs } from "./context.ts";
import { readClaimId } from "./claim-file.ts";
import {
  LapsExit, canonical, findLap, headLap, loadQueue, newLapId, nowIso, orderKeyFor, saveQueue, todos, type Lap,
} from "./store.ts";

/** `<title>\n[Assignee: <a>\n]\n<description>` — no trailing newline (§3.4). */
export function taskDetail(lap: Lap): string {
  return `${lap.title}\n${lap.assignee ? `Assignee: ${lap.assignee}\n` : ""}\n${lap.description}`;
}

/** The lap `get`/`claim` would act on, or undefined when there is none. */
export function resolveTarget(laps: Lap[], target: string): Lap | undefined {
  return target === "head" ? headLap(laps) : findLap(laps, target);
}

/** The exit-3 error (or 0.9's 11/12 for a missing head) for an unresolved target. */
export function targetError(ctx: Ctx, laps: Lap[], target: string): LapsExit {
  if (target !== "head") return new LapsExit(3, "task not found");
  if (ctx.mode === "0.9") return new LapsExit(laps.length === 0 ? 11 : 12, "no head task");
  return new LapsExit(3, "no head task");
}

export function cmdGet(ctx: Ctx, tokens: string[]): number {
  const args = parseArgs(tokens, {});
  const target = args.positionals[0] ?? "head";
  const store = openStore(ctx, true);
  const laps = loadQueue(store.file);
  const lap = resolveTarget(laps, target);
  return withHooks(ctx, store, "get", args.positionals, lap, () => {
    if (!lap) throw targetError(ctx, laps, target);
    const text = `${taskDetail(lap)}\n`;
    return { stdout: text, output: text, lap };
  });
}

interface NewLapFields {
  title: string;
  description: string;
  assignee: string;
}

function fieldsFromJson(raw: string): NewLapFields {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(raw);
  } catch (err) {
    throw new LapsExit(1, `add: invalid --json: ${(err as Error).message}`);
  }
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return { title: str(obj?.title), description: str(obj?.description), assignee: str(obj?.assignee) };
}

function readAddFields(ctx: Ctx, args: ParsedArgs): NewLapFields {
  const json = flagValue(args, "--json");
  const fieldFlags = ["--title", "--description", "--assignee", "--stdin"].filter((f) => args.flags.has(f));
  let fields: NewLapFields;
  if (json !== undefined) {
    if (fieldFlags.length) throw new LapsExit(1, "add: --json cannot be combined with --title, --description, --assignee or --stdin");
    fields = fieldsFromJson(json);
  } else {
    let description = (flagValue(args, "--description") ?? "").replace(/\\n/g, "\n");
    if (args.flags.has("--stdin")) {
      if (args.flags.has("--description")) throw new LapsExit(1, "add: --stdin cannot be combined with --description");
      description = ctx.readStdin().replace(/\n+$/, "");
    }
    fields = { title: flagValue(args, "--title") ?? "", description, assignee: flagValue(args, "--assignee") ?? "" };
  }
  if (!fields.title.trim()) throw new LapsExit(1, "add: title is required");
  return { ...fields, assignee: fields.assignee.trim() };
}

const ADD_FLAGS = { "--title": "value", "--description": "value", "--assignee": "value", "--json": "value", "--stdin": "bool" } as const;

export function cmdAdd(ctx: Ctx, tokens: string[]): number {
  const args = parseArgs(tokens, ADD_FLAGS);
  const [position, afterId] = args.positionals;
  if (position !== "head" && position !== "tail" && position !== "after") {
    throw new LapsExit(1, "add: position required (head, tail, or after <id>)");
  }
  if (position === "after" && !afterId) throw new LapsExit(1, "add: after requires a task id");
  const fields = readAddFields(ctx, args);
  const store = openStore(ctx, true);
  loadQueue(store.file);
  return withHooks(ctx, store, "add", args.positionals, undefined, () => {
    const laps = loadQueue(store.file); // re-read: a before hook may have changed the queue
    let where: "head" | "tail" | { after: Lap } = position === "after" ? "head" : position;
    if (position === "after") {
      const anchor = findLap(laps, afterId!);
      if (!anchor) throw new LapsExit(3, `add: task ${afterId} not found`);
      if (anchor.isDone) errLine(`lap ${afterId} already complete; added to next available spot (head).`);
      else where = { after: anchor };
    }
    const now = nowIso();
    const lap: Lap = {
      id: newLapId(store.root, laps, fields.title, fields.description, now),
      title: fields.title, description: fields.description, isDone: false,
      order: orderKeyFor(laps, where), createdAt: now, updatedAt: now, completedAt: null,
    };
    if (fields.assignee) lap.assignee = fields.assignee;
    saveQueue(store.file, [...laps, lap]);
    return { stdout: `${lap.id}\n`, output: lap.id, lap };
  });
}

function listLines(ctx: Ctx, laps: Lap[], args: ParsedArgs, claimed: string): string[] {
  const queue = todos(laps);
  const doneOldestFirst = canonical(laps).filter((l) => l.isDone);
  const shown: { lap: Lap; struck: boolean }[] = [];
  if (args.flags.has("--done")) doneOldestFirst.reverse().forEach((lap) => shown.push({ lap, struck: true }));
  else {
    queue.forEach((lap) => shown.push({ lap, struck: false }));
    if (args.flags.has("--all")) doneOldestFirst.forEach((lap) => shown.push({ lap, struck: true }));
  }
  if (ctx.mode === "0.9" && !args.flags.has("--oneline")) {
    return shown.flatMap(({ lap }, i) => [
      `${i + 1}. ${lap.id === claimed ? "> " : ""}${lap.title}`,
      `   ${lap.id} · ${lap.assignee || "—"} · ${lap.isDone ? "done" : "todo"}`,
    ]);
  }
  return shown.map(({ lap, struck }, i) => {
    const body = `${lap.id} — ${lap.title}${lap.assignee ? ` (assignee: ${lap.assignee})` : ""}`;
    return `${i + 1}. ${struck ? `~~${body}~~` : body}`;
  });
}

export function cmdList(ctx: Ctx, tokens: string[]): number {
  const spec: FlagSpec = { "--all": "bool", "--done": "bool" };
  if (ctx.mode === "0.9") spec["--oneline"] = "bool";
  const args = parseArgs(tokens, spec);
  const store = openStore(ctx, true);
  const laps = loadQueue(store.file);
  return withHooks(ctx, store, "list", args.positionals, undefined, () => {
    const lines = listLines(ctx, laps, args, readClaimId(store.root));
    return { stdout: lines.map((l) => `${l}\n`).join(""), output: lines.join("\n") };
  });
}
