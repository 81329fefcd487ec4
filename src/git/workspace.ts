import { RallyError } from "../errors.ts";
import { findRepoRoot } from "./git.ts";

type Workspace = { root: string; isRepo: boolean };

// The dispatcher starts the lookup (a `git rev-parse` process) while the command's modules load;
// the command's own resolveWorkspace then takes it instead of starting a second one. One use
// only, so a later lookup always sees the repository as it is then.
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
  const root = await findRepoRoot(cwd);
  return root ? { root, isRepo: true } : { root: cwd, isRepo: false };
}

export async function requireRepo(cwd: string): Promise<string> {
  const root = await findRepoRoot(cwd);
  if (!root) {
    throw new RallyError("NOT_A_GIT_REPO", `${cwd} is not inside a git repository`, "run `git init` or cd into your project");
  }
  return root;
}
