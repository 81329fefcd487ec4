// Small file seams for the monitor (R9): stat the try log, append netstat rows.
import { closeSync, openSync, statSync, writeSync } from "node:fs";

export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** size + mtime of a file, or undefined when it does not exist (yet) or cannot be stat'ed. */
export function statFile(path: string): FileStat | undefined {
  try {
    const st = statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** An append-only line sink: each write() is one write(2) of one whole line (O_APPEND). */
export interface LineSink {
  write(line: string): void;
  close(): void;
}

/**
 * Opens `path` for appending (created if missing). Write errors are swallowed: a lost netstat row
 * must never disturb the agent's try (spec 04 §6.6). The file is opened lazily on the first write.
 */
export function openAppendSink(path: string): LineSink {
  let fd: number | undefined;
  let broken = false;
  return {
    write(line) {
      if (broken) return;
      try {
        fd ??= openSync(path, "a");
        writeSync(fd, line.endsWith("\n") ? line : `${line}\n`);
      } catch {
        broken = fd === undefined; // could not open: stop retrying every tick
      }
    },
    close() {
      if (fd === undefined) return;
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      fd = undefined;
    },
  };
}
