import { existsSync, readFileSync } from "node:fs";
import { join } from "pathe";
import type { Config } from "../config/schema.ts";
import { BUILTIN_DESCRIPTORS } from "../harness/builtin.ts";
import { runAutoMaintenance } from "../git/tree.ts";
import { createHarnessRegistry, harnessConfigFor } from "../harness/registry.ts";
import { dataDir, logDirs } from "../state/data-dir.ts";
import { acquireLock } from "../state/lock.ts";
import { Store, storePaths } from "../state/store.ts";
import { systemClock, type Clock } from "../sys/clock.ts";
import type { LapsContext } from "../laps/index.ts";
import type { RelayControl, RelayEvents } from "./context.ts";
import { lapsInstructions } from "./laps-setup.ts";
import { runRelay, type RelayOutcome, type RelayPlan } from "./relay.ts";
import { relayLogger } from "./relay-log.ts";

// Assemble a relay's world (lock, store, log dirs, harnesses) and run it. The lock is held for
// the whole relay so a second rally in the same workspace fails fast instead of interleaving.

export interface StartInput {
  workspace: string;
  isRepo: boolean;
  config: Config;
  env: Record<string, string | undefined>;
  plan: RelayPlan;
  events: RelayEvents;
  control: RelayControl;
  clock?: Clock;
  /** Laps-backed relay: how to call `laps` (see laps-setup.ts for the start-up steps). */
  laps?: LapsContext;
}

export async function startRelay(input: StartInput): Promise<RelayOutcome & { relayLogPath: string }> {
  const { workspace, config, env } = input;
  const lock = acquireLock(storePaths(workspace).lock);
  try {
    const logs = logDirs(dataDir(config.data_dir, env), workspace);
    const store = Store.open(workspace, { triesLogDir: logs.tries, repair: true });
    for (const harness of Object.values(BUILTIN_DESCRIPTORS)) harness.recover?.(env);
    store.repairs.forEach((r) => input.events.warn(r));
    const instructionsPath = join(workspace, ".rally", "instructions.md");
    const projectInstructions = existsSync(instructionsPath) ? readFileSync(instructionsPath, "utf8") : undefined;
    let relayLogPath = "";
    const ownCommits = new Set<string>();
    const outcome = await runRelay(
      {
        workspace,
        isRepo: input.isRepo,
        config,
        store,
        logDirs: logs,
        clock: input.clock ?? systemClock,
        env,
        instructions: input.laps ? lapsInstructions(workspace, config, input.events) ?? projectInstructions : projectInstructions,
        laps: input.laps,
        harnesses: createHarnessRegistry(config),
        harnessConfig: (name) => harnessConfigFor(config, name),
        events: input.events,
        control: input.control,
        ownCommits,
        knownTree: {},
        openLog(relayId) {
          const logger = relayLogger(logs.relays, relayId);
          relayLogPath = logger.path;
          return logger.log;
        },
      },
      input.plan,
    );
    // rally's own commits skip git's per-commit maintenance check; one check covers them all.
    if (input.isRepo && ownCommits.size > 0) await runAutoMaintenance(workspace);
    return { ...outcome, relayLogPath };
  } finally {
    lock.release();
  }
}
