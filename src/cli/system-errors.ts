import { RallyError } from "../errors.ts";

// Failures that come from the machine, not from rally: a full disk, a read-only mount, a path
// the user cannot write, too many open files. Each is the user's to fix, so each is one error
// line naming the cause and the fix (and the path, when the failing call named one), never
// "a bug in rally".

interface SystemFailure {
  what: string;
  /** The fix; `again` is how to retry the command that failed. */
  fix: (again: string) => string;
}

const SYSTEM_FAILURES: Record<string, SystemFailure> = {
  ENOSPC: { what: "no space left on device", fix: (again) => `free some disk space, then ${again}` },
  EDQUOT: { what: "disk quota exceeded", fix: (again) => `free some space in your quota, then ${again}` },
  EROFS: { what: "read-only file system", fix: () => "rally writes .rally/ in the repository and its data dir (data_dir in config): run it where both are writable" },
  EACCES: { what: "permission denied", fix: () => "make that path writable for you, or set data_dir to a directory you own" },
  EPERM: { what: "operation not permitted", fix: () => "make that path writable for you, or set data_dir to a directory you own" },
  EMFILE: { what: "too many open files", fix: (again) => `raise the limit (ulimit -n), then ${again}` },
  ENFILE: { what: "too many open files on this system", fix: (again) => `close some programs, then ${again}` },
  EIO: { what: "input/output error", fix: (again) => `check the disk (dmesg), then ${again}` },
};

/** `err` as a user error when the machine caused it; undefined for anything else. `command` is e.g. "relay". */
export function systemFailureAsUserError(err: unknown, command: string | undefined): RallyError | undefined {
  const e = err as { code?: unknown; path?: unknown };
  if (typeof e?.code !== "string") return undefined;
  const failure = SYSTEM_FAILURES[e.code];
  if (!failure) return undefined;
  // A relay stopped half way keeps its state: resuming carries on rather than starting over.
  const again = command === "relay" || command === "start" ? "run `rally relay --resume` to carry on" : "run the command again";
  const where = typeof e.path === "string" ? `: ${e.path}` : "";
  const userError = new RallyError(`SYSTEM_${e.code}`, `${failure.what}${where}`, failure.fix(again));
  if (err instanceof Error && err.stack) userError.stack = err.stack; // --debug shows where it happened
  return userError;
}
