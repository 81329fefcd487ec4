import type { z } from "zod/mini";
import { didYouMean } from "../text/suggest.ts";
import { isTable, type Table } from "./merge.ts";

export interface UnknownKey {
  path: string[];
  suggestion: string;
}

type AnySchema = z.ZodMiniType;
// zod 4 keeps structure on `_zod.def`; we only read the few kinds the config schema uses.
type Def = { type: string; innerType?: AnySchema; shape?: Record<string, AnySchema>; valueType?: AnySchema };

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let def = defOf(s); (def.type === "default" || def.type === "optional") && def.innerType; def = defOf(s)) {
    s = def.innerType;
  }
  return s;
}

/**
 * Keys in `raw` that the schema does not know, with a did-you-mean from the keys it does know.
 * Unions (the two `[providers]` forms) are validated by routing, not here.
 */
export function findUnknownKeys(schema: AnySchema, raw: unknown, path: string[] = []): UnknownKey[] {
  const def = defOf(unwrap(schema));
  if (!isTable(raw)) return [];
  if (def.type === "record" && def.valueType) {
    return Object.entries(raw).flatMap(([k, v]) => findUnknownKeys(def.valueType!, v, [...path, k]));
  }
  if (def.type !== "object" || !def.shape) return [];
  const known = Object.keys(def.shape);
  const out: UnknownKey[] = [];
  for (const [key, value] of Object.entries(raw as Table)) {
    const child = def.shape[key];
    if (!child) out.push({ path: [...path, key], suggestion: didYouMean(key, known) });
    else out.push(...findUnknownKeys(child, value, [...path, key]));
  }
  return out;
}
