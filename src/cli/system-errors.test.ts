import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { formatUserError } from "../errors.ts";
import { systemFailureAsUserError } from "./system-errors.ts";

/** What node:fs throws, caught. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

const line = (err: unknown, command?: string) => {
  const user = systemFailureAsUserError(err, command);
  return user && formatUserError(user);
};

describe("systemFailureAsUserError", () => {
  test("a real ENOSPC (a write to /dev/full) names the cause and the fix; relay's fix is --resume", () => {
    const err = thrownBy(() => writeFileSync("/dev/full", "x"));
    // The failing call is write(2) on a descriptor: node names no path for it.
    expect(line(err, "init")).toBe("error: no space left on device (free some disk space, then run the command again)");
    expect(line(err, "relay")).toBe("error: no space left on device (free some disk space, then run `rally relay --resume` to carry on)");
    expect(line(err, "start")).toContain("rally relay --resume");
  });

  test("the original stack is kept for --debug", () => {
    const err = thrownBy(() => writeFileSync("/dev/full", "x")) as Error;
    expect(systemFailureAsUserError(err, "relay")!.stack).toBe(err.stack);
  });

  test.each([
    ["EROFS", "error: read-only file system: /x (rally writes .rally/ in the repository and its data dir (data_dir in config): run it where both are writable)"],
    ["EACCES", "error: permission denied: /x (make that path writable for you, or set data_dir to a directory you own)"],
    ["EMFILE", "error: too many open files: /x (raise the limit (ulimit -n), then run the command again)"],
    ["EDQUOT", "error: disk quota exceeded: /x (free some space in your quota, then run the command again)"],
  ])("%s", (code, expected) => {
    expect(line(Object.assign(new Error("x"), { code, path: "/x" }))).toBe(expected);
  });

  test("anything else is left alone: a missing file, a plain error, a non-error", () => {
    const dir = mkdtempSync(join(tmpdir(), "rally-syserr-"));
    try {
      const missing = thrownBy(() => writeFileSync(join(dir, "no", "such", "dir"), "x"));
      expect((missing as { code: string }).code).toBe("ENOENT");
      expect(systemFailureAsUserError(missing, "relay")).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(systemFailureAsUserError(new Error("boom"), "relay")).toBeUndefined();
    expect(systemFailureAsUserError(undefined, "relay")).toBeUndefined();
    expect(systemFailureAsUserError("ENOSPC", "relay")).toBeUndefined();
  });
});
