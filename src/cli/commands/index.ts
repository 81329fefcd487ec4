import type { CommandDef } from "citty";

// The root command table. Descriptions live here so `rally --help` renders without loading any
// command module; each module is imported only when its command runs.

export interface CommandEntry {
  description: string;
  aliases?: string[];
  hidden?: boolean;
  /** Works on the current repository: its lookup can start while the command loads. */
  inWorkspace?: boolean;
  load: () => Promise<CommandDef<any>>;
}

const lazy = (load: () => Promise<{ default: CommandDef<any> }>) => () => load().then((m) => m.default);

export const COMMANDS: Record<string, CommandEntry> = {
  config: { description: "Open the user (or --repo) config in $VISUAL/$EDITOR", load: lazy(() => import("./config.ts")) },
  "demo-agent": { description: "The scripted demo agent behind `--agent demo`", hidden: true, load: lazy(() => import("./demo-agent.ts")) },
  hooks: { inWorkspace: true, description: "Inspect rally's laps hooks (list, logs, help)", load: lazy(() => import("./hooks.ts")) },
  init: { description: "Set up rally in this repo (init roles: role routing; init all: both)", load: lazy(() => import("./init.ts")) },
  instructions: { inWorkspace: true, description: "Show or edit the project instructions sent with every prompt", load: lazy(() => import("./instructions.ts")) },
  progress: { inWorkspace: true, description: "Record a run's progress (used by agents and laps hooks)", load: lazy(() => import("./progress.ts")) },
  relay: { inWorkspace: true, description: "Start or resume a relay: run agents on the task, one try after another", aliases: ["start"], load: lazy(() => import("./relay.ts")) },
  routes: { inWorkspace: true, description: "Validate and summarise routes, harnesses, models and roles", load: lazy(() => import("./routes.ts")) },
  tail: { inWorkspace: true, description: "Stream a try's log (the running try, or the latest)", load: lazy(() => import("./tail.ts")) },
  update: { description: "Update rally to the latest release (checksum-verified, atomic)", load: lazy(() => import("./update.ts")) },
  version: { description: "Print rally's version", load: lazy(() => import("./version.ts")) },
};

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS[name] ?? Object.values(COMMANDS).find((c) => c.aliases?.includes(name));
}

export function commandNames(): string[] {
  return Object.entries(COMMANDS).flatMap(([name, c]) => [name, ...(c.aliases ?? [])]);
}
