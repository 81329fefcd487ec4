import { parseTOML } from "confbox";
import { RallyError } from "../errors.ts";

// Minimal, comment-preserving edits of a TOML config: add a missing key or fill an empty one in a
// table, never touching anything else. Every edit is verified by re-parsing the result, so a file
// shape we do not understand produces an error instead of a corrupted config.

export type TomlValue = string | string[];

export interface TomlEdit {
  table: string;
  key: string;
  value: TomlValue;
}

function render(value: TomlValue): string {
  return Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(", ")}]` : JSON.stringify(value);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function tableRange(lines: string[], table: string): { start: number; end: number } | undefined {
  const header = new RegExp(`^\\s*\\[\\s*${escapeRe(table)}\\s*\\]\\s*(#.*)?$`);
  const start = lines.findIndex((l) => header.test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^\s*\[/.test(lines[end]!)) end++;
  return { start, end };
}

/** Apply `edits` to `text`; returns the new text (unchanged when there is nothing to do). */
export function applyTomlEdits(text: string, edits: TomlEdit[], file: string): string {
  if (edits.length === 0) return text;
  const lines = text.replace(/\n$/, "").split("\n");
  for (const edit of edits) {
    const line = `${edit.key} = ${render(edit.value)}`;
    const range = tableRange(lines, edit.table);
    if (!range) {
      if (lines.length && lines.at(-1)!.trim() !== "") lines.push("");
      lines.push(`[${edit.table}]`, line);
      continue;
    }
    const keyRe = new RegExp(`^\\s*${escapeRe(edit.key)}\\s*=`);
    const at = lines.slice(range.start, range.end).findIndex((l) => keyRe.test(l));
    if (at >= 0) lines[range.start + at] = line;
    else lines.splice(range.start + 1, 0, line);
  }
  const out = lines.join("\n") + "\n";
  verify(out, edits, file);
  return out;
}

function verify(text: string, edits: TomlEdit[], file: string): void {
  let parsed: Record<string, Record<string, unknown>>;
  try {
    parsed = parseTOML(text);
  } catch (err) {
    throw new RallyError("CONFIG_EDIT_FAILED", `could not update ${file}: ${String((err as Error).message).split("\n")[0]}`, "edit the file by hand (rally left it unchanged)");
  }
  for (const e of edits) {
    if (JSON.stringify(parsed[e.table]?.[e.key]) !== JSON.stringify(e.value)) {
      throw new RallyError("CONFIG_EDIT_FAILED", `could not set [${e.table}].${e.key} in ${file}`, "edit the file by hand (rally left it unchanged)");
    }
  }
}
