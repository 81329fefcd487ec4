import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { RallyError } from "../errors.ts";
import { isProcessAlive } from "../sys/process-alive.ts";

// One relay per workspace: an exclusive lock file holding the owner's pid. A lock whose pid is
// gone (a crashed or SIGKILLed rally) is stale and taken over.

export interface WorkspaceLock {
  release(): void;
}


export function acquireLock(path: string): WorkspaceLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(path, "utf8").trim() === String(process.pid)) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isFinite(owner) && owner !== process.pid && isProcessAlive(owner)) {
        throw new RallyError(
          "WORKSPACE_LOCKED",
          `another rally relay (pid ${owner}) is running in this workspace`,
          `wait for it to finish or stop it; if no rally is running, delete ${path}`,
        );
      }
      unlinkSync(path); // stale: its owner is gone
    }
  }
  throw new RallyError("WORKSPACE_LOCKED", `could not lock ${path}`, "retry in a moment");
}
