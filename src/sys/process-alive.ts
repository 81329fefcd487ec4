import { hostProcFs, type ProcFs } from "./procfs.ts";

/**
 * Whether a pid is a running process. A zombie (exited, not yet reaped by its parent) still
 * answers kill(pid, 0), so on Linux its /proc stat state decides: Z and X are gone. Where there
 * is no /proc, kill(pid, 0) alone decides (EPERM means it exists but belongs to someone else).
 */
export function isProcessAlive(pid: number, procfs: ProcFs | undefined = hostProcFs()): boolean {
  const state = procfs === undefined ? undefined : statState(procfs.read(`${pid}/stat`));
  if (state === "Z" || state === "X") return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The state letter of a `/proc/<pid>/stat` line: the first field after the comm's LAST ')'. */
function statState(stat: string | undefined): string | undefined {
  const close = stat?.lastIndexOf(")") ?? -1;
  return close < 0 ? undefined : stat!.slice(close + 1).trim()[0];
}
