// The /proc seam (R9): the only code that reads /proc. Everything above it gets a ProcFs and can be
// pointed at a synthetic tree in tests. Reads are synchronous on purpose: /proc files are tiny,
// in-memory, and the sampler's per-tick budget is a few hundred microseconds.
import { closeSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";
import { join } from "node:path";

/** Read-only view of a procfs-shaped tree. Paths are relative to the root ("1234/stat", "net/tcp"). */
export interface ProcFs {
  /** The directory the paths are resolved against ("/proc" for the real one). */
  readonly root: string;
  /** File contents, or undefined when missing or unreadable (a process that just exited). */
  read(path: string): string | undefined;
  /** Directory entry names, or undefined when missing or unreadable. */
  list(path: string): string[] | undefined;
  /** Symlink target, or undefined when missing, unreadable or not a link. */
  readlink(path: string): string | undefined;
}

let buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a whole file into one reused buffer, until read(2) returns 0. A short read is NOT end of
 * file here: seq_file-backed /proc files (net/tcp among them) hand out at most one page per call.
 */
function readWhole(file: string): string {
  const fd = openSync(file, "r");
  try {
    let used = 0;
    for (;;) {
      if (used === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, used);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, used, buffer.length - used, null);
      if (n === 0) break;
      used += n;
    }
    return buffer.toString("latin1", 0, used);
  } finally {
    closeSync(fd);
  }
}

/** A ProcFs rooted at `root`: "/proc" in production, a temp directory tree in tests. */
export function createProcFs(root = "/proc"): ProcFs {
  const at = (path: string) => (path === "" ? root : join(root, path));
  return {
    root,
    read(path) {
      try {
        return readWhole(at(path));
      } catch {
        return undefined;
      }
    },
    list(path) {
      try {
        return readdirSync(at(path));
      } catch {
        return undefined;
      }
    },
    readlink(path) {
      try {
        return readlinkSync(at(path));
      } catch {
        return undefined;
      }
    },
  };
}

/** The host's /proc, or undefined where there is none (macOS, Windows): callers fall back to log silence. */
export function hostProcFs(): ProcFs | undefined {
  return process.platform === "linux" ? createProcFs("/proc") : undefined;
}
