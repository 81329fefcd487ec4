import { createHash } from "node:crypto";
import { basename, join, normalize, resolve } from "pathe";

// Machine-wide logs live outside the repo: <dataDir>/relays/<repoKey>/relay-N.log and
// <dataDir>/tries/<repoKey>/try-N.log. The repo key keeps workspaces sharing a data dir apart.

export function dataDir(configured: string, env: Readonly<Record<string, string | undefined>>): string {
  return configured ? resolve(configured) : join(env.HOME ?? "", ".local", "share", "rally");
}

/** `<up to 8 chars of the folder name>-<4 hex of sha256(path)>`, e.g. `rally-te-7be6`. */
export function repoKey(workspace: string): string {
  const clean = normalize(workspace);
  let prefix = basename(clean).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (!prefix) prefix = "repo";
  const hash = createHash("sha256").update(clean).digest("hex").slice(0, 4);
  return `${prefix.slice(0, 8)}-${hash}`;
}

export interface LogDirs {
  relays: string;
  tries: string;
}

export function logDirs(dir: string, workspace: string): LogDirs {
  const key = repoKey(workspace);
  return { relays: join(dir, "relays", key), tries: join(dir, "tries", key) };
}
