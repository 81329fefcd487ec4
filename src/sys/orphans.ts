import { readFileSync } from "node:fs";

// When rally itself is killed (SIGKILL, OOM, power loss) its agent keeps running in its own
// process group. The next start kills that group — but only after checking it is still the same
// agent: the pid must lead its own group and run the recorded binary, so a recycled pid is safe.

export function killOrphanedGroup(pid: number, bin: string | undefined): boolean {
  if (process.platform !== "linux" || !bin) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const [state, , pgrp] = fields;
    if (state === "Z" || Number(pgrp) !== pid) return false;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    if (!cmdline.some((arg) => arg === bin || arg.endsWith(`/${bin}`))) return false;
    process.kill(-pid, "SIGKILL");
    return true;
  } catch {
    return false; // gone already
  }
}
