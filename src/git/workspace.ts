import { readFileSync, statSync, type Stats } from "node:fs";
import { dirname, join } from "pathe";
import { RallyError } from "../errors.ts";
import { findRepoRoot } from "./git.ts";

type Workspace = { root: string; isRepo: boolean };

// The dispatcher starts the lookup while the command's modules load; the command's own
// resolveWorkspace then takes it instead of starting a second one. One use only, so a later lookup
// always sees the repository as it is then. Most lookups need no git process at all
// (repoRootFromFiles); the rest ask `git rev-parse`, which is why the lookup starts early.
let prefetched: { cwd: string; lookup: Promise<Workspace> } | undefined;

export function prefetchWorkspace(cwd: string): void {
  prefetched = { cwd, lookup: lookupWorkspace(cwd) };
}

/** The workspace is the repo root (so subdirectories target it), else the current directory. */
export function resolveWorkspace(cwd: string): Promise<Workspace> {
  const early = prefetched?.cwd === cwd ? prefetched.lookup : undefined;
  prefetched = undefined;
  return early ?? lookupWorkspace(cwd);
}

async function lookupWorkspace(cwd: string): Promise<Workspace> {
  const known = repoRootFromFiles(cwd, process.env);
  const root = known ? known.root : await findRepoRoot(cwd);
  return root ? { root, isRepo: true } : { root: cwd, isRepo: false };
}

/** Variables that change where git looks for a repository; with any of them set, git decides. */
const DISCOVERY_ENV = ["GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_COMMON_DIR"];

/**
 * The work tree root found the way git finds it in the common case, without a git process (this
 * runs at the start of nearly every command): the nearest directory from `cwd` up that holds a
 * `.git` directory with a HEAD, or a `.git` file pointing at one (worktrees, submodules).
 * `{ root: undefined }`: no repository. `undefined`: git must decide, because the case is one its
 * own rules cover and this walk does not copy (the variables above, a core.worktree or bare
 * setting, a `.git` that is not a repository, a filesystem boundary, a cwd inside `.git`).
 */
export function repoRootFromFiles(cwd: string, env: Record<string, string | undefined>): { root: string | undefined } | undefined {
  if (DISCOVERY_ENV.some((name) => env[name] !== undefined)) return undefined;
  if (/(^|\/)\.git(\/|$)/.test(cwd)) return undefined;
  let dir = cwd;
  let device: number | undefined;
  for (;;) {
    let here: Stats;
    try {
      here = statSync(dir);
    } catch {
      return undefined;
    }
    if (device !== undefined && here.dev !== device) return undefined; // git stops at a mount point
    device = here.dev;
    const verdict = gitEntryAt(join(dir, ".git"));
    if (verdict === "repo") return { root: dir };
    if (verdict === "unsure") return undefined;
    const parent = dirname(dir);
    if (parent === dir) return { root: undefined };
    dir = parent;
  }
}

/** What a `.git` path holds: nothing, a repository this walk can vouch for, or something git must judge. */
function gitEntryAt(path: string): "none" | "repo" | "unsure" {
  let entry: Stats;
  try {
    entry = statSync(path);
  } catch {
    return "none";
  }
  try {
    if (entry.isFile()) return readFileSync(path, "utf8").startsWith("gitdir: ") ? "repo" : "unsure";
    if (!entry.isDirectory() || !statSync(join(path, "HEAD")).isFile()) return "unsure";
    // A work tree moved elsewhere, or a bare repository: git's answer differs from the walk's.
    const config = readFileSync(join(path, "config"), "utf8");
    return /^\s*(worktree\s*=|bare\s*=\s*true)/im.test(config) ? "unsure" : "repo";
  } catch {
    return "unsure";
  }
}

export async function requireRepo(cwd: string): Promise<string> {
  const known = repoRootFromFiles(cwd, process.env);
  const root = known ? known.root : await findRepoRoot(cwd);
  if (!root) {
    throw new RallyError("NOT_A_GIT_REPO", `${cwd} is not inside a git repository`, "run `git init` or cd into your project");
  }
  return root;
}
