import { readdirSync, readFileSync } from "node:fs";

/**
 * Pids of live processes (zombies excluded) whose environment carries `marker`: the agents a
 * relay started, found from /proc whoever their parent is now. Linux only.
 */
export function livePidsWithEnv(marker: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        // The state letter follows the command name's closing parenthesis: Z is a zombie.
        return stat[stat.lastIndexOf(")") + 2] !== "Z" && readFileSync(`/proc/${pid}/environ`, "utf8").includes(marker);
      } catch {
        return false; // gone between the listing and the read
      }
    })
    .map(Number);
}
