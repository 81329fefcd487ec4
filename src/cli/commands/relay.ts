import { existsSync, readFileSync } from "node:fs";
import { defineCommand } from "citty";
import { join } from "pathe";
import { RallyError } from "../../errors.ts";
import { unfinishedOperation, type GitOperation } from "../../git/operation.ts";
import { detectLaps, getHeadLap, lapsContextFor, spawnLaps, type LapsContext } from "../../laps/index.ts";
import { prepareLapsWorkspace } from "../../relay/laps-setup.ts";
import { buildRoster, displayLabel, startupRouteCheck } from "../../routing/index.ts";
import { DEFAULT_FREE_RUN_PROMPT } from "../../relay/prompt.ts";
import type { StartDecision } from "../../relay/relay.ts";
import { startRelay } from "../../relay/start.ts";
import { Store } from "../../state/store.ts";
import { collectFlagValues } from "../unknown-flags.ts";
import { loadWorkspaceConfig } from "../load-config.ts";
import { say, warn } from "../output.ts";
import { confirm, select } from "../prompt.ts";
import { createRelayUi } from "../render/relay-ui.ts";

const DEFAULT_ITERATIONS = 50;
/** With laps the relay runs until the queue is empty; this only bounds a runaway queue. */
const LAPS_DEFAULT_ITERATIONS = 10_000;

export default defineCommand({
  meta: { description: "Start or resume a relay: run agents on the task, one try after another", alias: "start" },
  args: {
    iterations: { type: "string", alias: "i", description: "Successful runs to aim for (new relays only)" },
    agent: { type: "string", alias: "a", description: 'Agent mix, repeatable: "cc cx", "cc:2", "op:opencode/big-pickle", "SENIOR"' },
    mix: { type: "string", alias: "m", description: "Legacy synonym of --agent" },
    resume: { type: "boolean", description: "Resume the unfinished relay without asking" },
    new: { type: "boolean", description: "Close any unfinished relay and start fresh (resets agent status)" },
  },
  async run({ args, rawArgs }) {
    if (args.resume && args.new) throw new RallyError("RELAY_FLAGS", "cannot use --resume and --new together", "pick one");
    const { workspace, isRepo, loaded } = await loadWorkspaceConfig({ printWarnings: true });
    const config = loaded.config;
    const flags = { agent: collectFlagValues(rawArgs, ["--agent", "-a"]), mix: collectFlagValues(rawArgs, ["--mix", "-m"]) };
    const roster = buildRoster(config, flags); // validates the mix before anything is written
    const laps = await lapsFor(workspace);
    const routeCheck = startupRouteCheck(config, { lapsAvailable: !!laps && (await getHeadLap(laps)) !== undefined });
    routeCheck.warnings.forEach((w) => warn(w));
    if (routeCheck.fatal) throw routeCheck.fatal;
    if (routeCheck.needsConfirm && !(await confirm("Invalid roles will fall back to DEFAULT. Continue anyway?", false))) {
      throw new RallyError("ROUTES_ABORTED", "route startup validation aborted", "fix the routes `rally routes check` reports");
    }
    if (!existsSync(join(workspace, ".rally"))) throw new RallyError("NOT_INITIALIZED", "rally not initialized", "run `rally init` first");
    const operation = isRepo ? unfinishedOperation(workspace) : undefined;
    if (operation) warn(unfinishedOperationWarning(operation));
    if (laps) await prepareLapsWorkspace(workspace, isRepo, { say, warn });
    if (laps && args._.join(" ").trim()) warn("this relay is laps-backed: each run's task is the claimed lap; the prompt given on the command line is ignored");

    const { target, defaulted } = iterationsFor(args.iterations, config.defaults.iterations, !!laps);
    const specsGiven = flags.agent.length > 0 || flags.mix.length > 0;
    const start = await decideStart(workspace, { resume: !!args.resume, fresh: !!args.new, target, specsGiven: specsGiven || roster.mode === "mix" });
    // A resumed relay keeps its stored target, so the default only matters for a new one.
    if (defaulted && start.kind === "new") warn(`no iteration limit specified; defaulting to ${DEFAULT_ITERATIONS} iterations`);
    const ui = createRelayUi();
    const control = ui.control;
    try {
      const outcome = await startRelay({
        workspace, isRepo, config, env: process.env, control, events: ui.events, laps,
        plan: { start, flags, task: { name: undefined, prompt: taskPrompt(args._.join(" "), config.free_run.prompt_file) } },
      });
      if (control.quitCount > 0) return control.quitExitCode;
      // Ctrl+X: the operator asked to stop after the current try; that is not a failure.
      if (control.stopRequested() && !outcome.relay.ended_at) return 0;
      if (!outcome.ok) throw new RallyError("RELAY_FAILED", outcome.message, `see ${outcome.relayLogPath}`);
      return 0;
    } finally {
      ui.dispose();
    }
  },
});

/** Laps mode needs `.laps/laps.json` and `laps` on PATH; a missing or old laps is a warning naming the fix. */
async function lapsFor(workspace: string): Promise<LapsContext | undefined> {
  const deps = { exec: spawnLaps, env: process.env, rallyExecPath: process.execPath };
  const detection = await detectLaps(workspace, deps);
  detection.warnings.forEach((w) => warn(w.message));
  return detection.mode === "laps" ? lapsContextFor(workspace, deps) : undefined;
}

/** rally's auto-commit would finish the user's merge (or rebase, …) for them: say so before it runs. */
function unfinishedOperationWarning(op: GitOperation): string {
  return `a ${op.name} is in progress in this repository: rally commits no file that still has conflict markers, and its next commit becomes part of the ${op.name} (finish it with \`${op.proceed}\` or drop it with \`${op.abort}\` first if that is not what you want)`;
}

function iterationsFor(flag: string | undefined, configured: number, lapsMode: boolean): { target: number; defaulted: boolean } {
  if (flag !== undefined) {
    const n = Number(flag);
    if (!Number.isInteger(n) || n < 0) throw new RallyError("RELAY_FLAGS", `--iterations must be a whole number, got "${flag}"`, "e.g. --iterations 3");
    return { target: n, defaulted: false };
  }
  if (configured > 0) return { target: configured, defaulted: false };
  if (lapsMode) return { target: LAPS_DEFAULT_ITERATIONS, defaulted: false };
  return { target: DEFAULT_ITERATIONS, defaulted: true };
}

function taskPrompt(cliTask: string, promptFile: string): string {
  if (cliTask.trim()) return cliTask.trim();
  if (promptFile) {
    try {
      return readFileSync(promptFile, "utf8");
    } catch (err) {
      warn(`free-run prompt file "${promptFile}" not readable: ${(err as Error).message}; using built-in default`);
    }
  }
  return DEFAULT_FREE_RUN_PROMPT;
}

async function decideStart(
  workspace: string,
  o: { resume: boolean; fresh: boolean; target: number; specsGiven: boolean },
): Promise<StartDecision> {
  if (o.fresh) return { kind: "new", target: o.target, closePrevious: true, resetStatus: true };
  if (o.resume) return { kind: "resume", overwriteRoster: o.specsGiven, target: o.target };
  const last = Store.open(workspace, { triesLogDir: "", repair: false }).lastRelay();
  if (!last || last.ended_at) return { kind: "new", target: o.target, closePrevious: false, resetStatus: false };
  const title = `Unfinished relay #${last.id} at iteration ${last.completed_iterations}/${last.target_iterations} (mix: ${displayLabel(last.agent_mix)})`;
  const choice = await select(title, [{ value: "resume", label: "Resume" }, { value: "new", label: "Start new" }], "resume");
  if (choice === "new") return { kind: "new", target: o.target, closePrevious: true, resetStatus: false };
  if (!o.specsGiven) return { kind: "resume", overwriteRoster: false, target: o.target };
  const keep = await select(`New --agent flags detected. Keep stored mix (${displayLabel(last.agent_mix)}) or overwrite with the new mix?`, [{ value: "keep", label: "Keep stored" }, { value: "overwrite", label: "Overwrite" }], "keep");
  return { kind: "resume", overwriteRoster: keep === "overwrite", target: o.target };
}
