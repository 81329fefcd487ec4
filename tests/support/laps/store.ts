// Test laps: store discovery, the schema-v2 queue file, ordering and id generation (spec 09 §1–§2).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync, openSync, fsyncSync, closeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A laps failure: printed as `laps: <message>` on stderr, then the process exits with `code`. */
export class LapsExit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface Lap {
  id: string;
  title: string;
  description: string;
  assignee?: string;
  isDone: boolean;
  order: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export const ORDER_STEP = 65536;
const LAP_KEYS = ["id", "title", "description", "assignee", "isDone", "order", "createdAt", "updatedAt", "completedAt"];

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** §1: nearest ancestor with a `.laps/` dir wins; a `.git` met first gets a new `.laps/`. */
export function locateRoot(cwd: string): string {
  let dir = cwd;
  for (;;) {
    if (isDir(join(dir, ".laps"))) return dir;
    if (existsSync(join(dir, ".git"))) {
      mkdirSync(join(dir, ".laps"), { recursive: true });
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new LapsExit(2, "store error: no .git or .laps directory found in any ancestor");
    dir = parent;
  }
}

export function queuePath(root: string, name?: string): string {
  if (!name) return join(root, ".laps", "laps.json");
  return join(root, ".laps", name.endsWith(".json") ? name : `${name}.json`);
}

/** Go's encoder escapes these even inside indented output. */
export function goJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Temp file, fsync, rename: the atomic replace laps uses for every write. */
export function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  const fd = openSync(tmp, "r");
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

function invalid(path: string, detail: string): LapsExit {
  return new LapsExit(2, `store error: file ${path} exists but is not a valid laps task file: ${detail}`);
}

const TYPES: Record<string, string> = {
  id: "string", title: "string", description: "string", assignee: "string",
  isDone: "boolean", order: "number", createdAt: "string", updatedAt: "string",
};

function checkLap(path: string, raw: unknown): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw invalid(path, "json: task is not an object");
  for (const [key, val] of Object.entries(raw)) {
    if (!LAP_KEYS.includes(key)) throw invalid(path, `json: unknown field "${key}"`);
    if (key === "completedAt") {
      if (val !== null && typeof val !== "string") throw invalid(path, `json: cannot unmarshal completedAt`);
    } else if (typeof val !== TYPES[key]) {
      throw invalid(path, `json: cannot unmarshal ${typeof val} into field ${key}`);
    }
  }
}

function toLap(raw: Record<string, unknown>, index: number): Lap {
  const lap: Lap = {
    id: String(raw.id ?? ""),
    title: String(raw.title ?? ""),
    description: String(raw.description ?? ""),
    isDone: raw.isDone === true,
    order: typeof raw.order === "number" ? raw.order : (index + 1) * ORDER_STEP,
    createdAt: String(raw.createdAt ?? ""),
    updatedAt: String(raw.updatedAt ?? ""),
    completedAt: typeof raw.completedAt === "string" ? raw.completedAt : null,
  };
  if (typeof raw.assignee === "string" && raw.assignee.trim()) lap.assignee = raw.assignee;
  return lap;
}

/** Strict load (§2.1): creates an empty v2 file when missing/blank/`{}`; migrates v1 in place. */
export function loadQueue(path: string): Lap[] {
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (text.trim() === "" || text.trim() === "{}") {
    saveQueue(path, []);
    return [];
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw invalid(path, (err as Error).message);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw invalid(path, "json: not an object");
  for (const key of Object.keys(data)) {
    if (key !== "version" && key !== "tasks") throw invalid(path, `json: unknown field "${key}"`);
  }
  const { version, tasks } = data as { version?: unknown; tasks?: unknown };
  if (typeof version !== "number") throw invalid(path, "missing version");
  if (!Array.isArray(tasks)) throw invalid(path, "missing tasks array");
  tasks.forEach((t) => checkLap(path, t));
  if (version > 2) {
    throw new LapsExit(2, `store error: file ${path} was written by a newer version of laps (schema version ${version}); please update laps`);
  }
  const laps = tasks.map((t, i) => toLap(t as Record<string, unknown>, i));
  if (version < 2) {
    laps.forEach((lap, i) => (lap.order = (i + 1) * ORDER_STEP));
    saveQueue(path, laps);
  }
  return laps;
}

function serialize(lap: Lap): Record<string, unknown> {
  const out: Record<string, unknown> = { id: lap.id, title: lap.title, description: lap.description };
  if (lap.assignee) out.assignee = lap.assignee;
  Object.assign(out, {
    isDone: lap.isDone, order: lap.order, createdAt: lap.createdAt,
    updatedAt: lap.updatedAt, completedAt: lap.completedAt,
  });
  return out;
}

export function saveQueue(path: string, laps: Lap[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const doc = { version: 2, tasks: canonical(laps).map(serialize) };
  atomicWrite(path, `${goJson(doc)}\n`);
}

function byOrder(a: Lap, b: Lap): number {
  if (a.order !== b.order) return a.order - b.order;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function completedMs(lap: Lap): number {
  return lap.completedAt ? Date.parse(lap.completedAt) : -Infinity;
}

/** Done laps oldest completion first, then the queue head → tail (§2.2). */
export function canonical(laps: Lap[]): Lap[] {
  const done = laps.filter((l) => l.isDone).sort((a, b) => completedMs(a) - completedMs(b) || byOrder(a, b));
  return [...done, ...todos(laps)];
}

export function todos(laps: Lap[]): Lap[] {
  return laps.filter((l) => !l.isDone).sort(byOrder);
}

export function headLap(laps: Lap[]): Lap | undefined {
  return todos(laps)[0];
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** §2.1: `<prefix>-<hex>` with the prefix from the repo root's directory name. */
export function newLapId(root: string, laps: Lap[], title: string, description: string, createdAt: string): string {
  const alnum = basename(root).replace(/[^A-Za-z0-9]/g, "").slice(0, 4).toLowerCase();
  const prefix = alnum.padEnd(4, "x");
  const seconds = createdAt.replace(/\.\d+Z$/, "Z");
  const desc = Buffer.from(description, "utf8").subarray(0, 200);
  const hash = createHash("sha256")
    .update(Buffer.concat([Buffer.from(`${title}|${seconds}|`, "utf8"), desc]))
    .digest("hex");
  const taken = new Set(laps.map((l) => l.id));
  for (let n = 4; n <= hash.length; n++) {
    const id = `${prefix}-${hash.slice(0, n)}`;
    if (!taken.has(id)) return id;
  }
  throw new LapsExit(2, "store error: could not allocate a unique id");
}

/** Order key for a new lap (§2.2); may renumber the todo laps when a gap is exhausted. */
export function orderKeyFor(laps: Lap[], position: "head" | "tail" | { after: Lap }): number {
  const queue = todos(laps);
  if (position === "head") return queue.length ? queue[0]!.order - ORDER_STEP : ORDER_STEP;
  if (position === "tail") return queue.length ? queue[queue.length - 1]!.order + ORDER_STEP : ORDER_STEP;
  let i = queue.indexOf(position.after);
  const next = queue[i + 1];
  if (!next) return position.after.order + ORDER_STEP;
  if (next.order - position.after.order <= 1) {
    queue.forEach((lap, k) => (lap.order = (k + 1) * ORDER_STEP));
    i = queue.indexOf(position.after);
  }
  return Math.trunc((queue[i]!.order + queue[i + 1]!.order) / 2);
}

export function findLap(laps: Lap[], id: string): Lap | undefined {
  return laps.find((l) => l.id === id);
}
