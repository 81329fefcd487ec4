import { fstatSync, writeSync } from "node:fs";

// rally's standard output and error. Writes go straight to the file descriptor: node's
// process.stdout and process.stderr are stream objects built on first use (node:tty, node:stream),
// ~6 ms of a compiled rally's start-up, more than reading its config, for a CLI that writes a few
// lines. Synchronous writes also keep stdout and stderr lines in the order they were written and
// need no flush before process.exit. (The live terminal view still asks process.stdout for its
// width: it exists only when stdout is a terminal.)

const gone = new Set<number>();

/**
 * Writes all of `data` to `fd`. A full non-blocking pipe is waited out; a reader that has gone
 * away (`rally … | head -1`) ends the output quietly instead of failing the command.
 */
export function writeFd(fd: number, data: string | Uint8Array): void {
  if (gone.has(fd)) return;
  let bytes = typeof data === "string" ? Buffer.from(data) : data;
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Bun.sleepSync(1);
        continue;
      }
      if (code === "EPIPE") {
        gone.add(fd);
        return;
      }
      throw err;
    }
  }
}

export function writeOut(data: string | Uint8Array): void {
  writeFd(1, data);
}

export function writeErr(data: string | Uint8Array): void {
  writeFd(2, data);
}

/**
 * Whether `fd` is a terminal. Pipes and files (scripts, CI, a bench) are told apart by fstat
 * alone; only a character device (a terminal, or /dev/null) is asked isatty, which loads node:tty.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  const { isatty } = require("node:tty") as typeof import("node:tty");
  return isatty(fd);
}
