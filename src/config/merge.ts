// Layering rule (0.12): tables merge key by key, recursively; scalars and arrays in the later
// layer replace the earlier value wholesale. So a repo `[routes].junior` replaces only `junior`,
// and `[harness.cc.models]` merges per alias. (c12's default defu merge would concatenate arrays.)

export type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function mergeLayers(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isTable(prev) && isTable(value) ? mergeLayers(prev, value) : value;
  }
  return out;
}

/** Whether `path` is present in a parsed layer (used to name the file a key came from). */
export function hasPath(layer: Table, path: readonly PropertyKey[]): boolean {
  let cur: unknown = layer;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === "number") cur = cur[seg];
    else if (isTable(cur) && typeof seg === "string" && seg in cur) cur = cur[seg];
    else return false;
  }
  return true;
}

/**
 * A key path the way a TOML user reads it: leading tables become the header, the rest the key.
 * ["harness","x","command",0] → `[harness.x].command[0]`; ["data_dir"] → `data_dir`.
 */
export function formatKeyPath(root: Table, path: readonly PropertyKey[]): string {
  const header: string[] = [];
  let cur: unknown = root;
  let i = 0;
  for (; i < path.length; i++) {
    const seg = path[i];
    const next = isTable(cur) && typeof seg === "string" ? cur[seg] : undefined;
    if (!isTable(next)) break;
    header.push(String(seg));
    cur = next;
  }
  let key = "";
  for (const seg of path.slice(i)) key += typeof seg === "number" ? `[${seg}]` : key ? `.${String(seg)}` : String(seg);
  const quoted = header.map((h) => (/^[A-Za-z0-9_-]+$/.test(h) ? h : JSON.stringify(h))).join(".");
  if (!header.length) return key;
  return key ? `[${quoted}].${key}` : `[${quoted}]`;
}
