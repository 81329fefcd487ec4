import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeSync, appendFileSync } from "node:fs";
import { basename, dirname } from "pathe";
import type { z } from "zod/mini";
import { RallyError } from "../errors.ts";

// JSONL the crash-safe way: appends are one write of one whole line; rewrites go through a temp
// file, fsync and rename; a reader skips a torn last line (a crash mid-append) with a warning,
// and rejects any other bad line with an error that names the file and line.

export interface JsonlRead<T> {
  records: T[];
  /** Set when the file ends in a partial line that was skipped. */
  tornTail?: string;
}

export function readJsonl<T>(path: string, schema: z.ZodMiniType<T>): JsonlRead<T> {
  if (!existsSync(path)) return { records: [] };
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const complete = text.endsWith("\n") || text === "";
  const records: T[] = [];
  let tornTail: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const isLast = i === lines.length - 1;
    const parsed = parseLine(line, schema);
    if (parsed.ok) {
      records.push(parsed.value);
    } else if (isLast && !complete) {
      tornTail = line;
    } else {
      throw new RallyError(
        "STATE_CORRUPT",
        `${path}:${i + 1}: ${parsed.error}`,
        `repair or delete that line of ${basename(path)}; rally only appends to it`,
      );
    }
  }
  return { records, tornTail };
}

function parseLine<T>(line: string, schema: z.ZodMiniType<T>): { ok: true; value: T } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: "not valid JSON" };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  return { ok: false, error: `invalid record: ${issue.path.join(".") || "(root)"}: ${issue.message}` };
}

/**
 * Move a torn final line out of the way so the next append starts on a fresh line.
 * The fragment is kept in `<file>.torn` for inspection rather than thrown away.
 */
export function setAsideTornTail(path: string, fragment: string): void {
  const size = readFileSync(path).length;
  appendFileSync(`${path}.torn`, fragment + "\n");
  truncateSync(path, size - Buffer.byteLength(fragment));
}

export function appendJsonl(path: string, record: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  // One write(2) of the whole line with O_APPEND: concurrent appenders never interleave.
  appendFileSync(path, JSON.stringify(record) + "\n");
}

/** Replace a file's content atomically: temp file, fsync, rename. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function writeJsonlAtomic(path: string, records: unknown[]): void {
  writeFileAtomic(path, records.map((r) => JSON.stringify(r) + "\n").join(""));
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2));
}

