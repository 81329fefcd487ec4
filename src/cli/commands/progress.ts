import { defineCommand } from "citty";
import { resolveWorkspace } from "../../git/workspace.ts";
import { addFollowupLap, isLapsEnabled, lapsContextFor, spawnLaps } from "../../laps/index.ts";
import { recordProgress } from "../../state/progress.ts";
import { Store } from "../../state/store.ts";
import { collectFlagValues } from "../unknown-flags.ts";
import { warn } from "../output.ts";

export default defineCommand({
  meta: { description: "Record a run's progress in .rally/summary.jsonl (agents and laps hooks call this)" },
  args: {
    summary: { type: "string", description: "One-line summary of the run" },
    complete: { type: "boolean", description: "The run completed its task" },
    handoff: { type: "boolean", description: "Hand the task off (follow-ups become new laps)" },
    wrapup: { type: "boolean", description: "Finalize after `laps done`/`laps handoff`" },
    followup: { type: "string", description: "Follow-up task for a handoff (repeatable)" },
    classification: { type: "string", description: "Recovery classification (continue, discard, …)" },
    recordLap: { type: "string", description: "Record a lap id as done (repeatable)" },
    setHandoff: { type: "boolean", description: "Mark the current run as handed off" },
  },
  async run({ args, rawArgs }) {
    const { root } = await resolveWorkspace(process.cwd());
    const deps = { exec: spawnLaps, env: process.env };
    await recordProgress(
      {
        recordLaps: collectFlagValues(rawArgs, ["--record-lap", "--recordLap"]),
        setHandoff: !!args.setHandoff,
        complete: !!args.complete,
        handoff: !!args.handoff,
        wrapup: !!args.wrapup,
        summary: args.summary,
        classification: args.classification,
        followups: collectFlagValues(rawArgs, ["--followup"]),
      },
      {
        store: Store.open(root, { triesLogDir: "", repair: false }),
        now: Date.now(),
        lapsEnabled: isLapsEnabled(root, process.env),
        addFollowupLap: (f) => addFollowupLap(lapsContextFor(root, deps), f),
        warn: (line) => warn(line),
      },
    );
  },
});
