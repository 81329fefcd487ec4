import { defineCommand } from "citty";
import { resolveWorkspace } from "../../git/workspace.ts";
import { HOOKS_HELP, listHooks, readHookLogs, renderHookLogs, renderHooksList } from "../../laps/index.ts";
import { RallyError } from "../../errors.ts";
import { writeOut } from "../stdio.ts";

// `rally hooks list|logs|help`: what rally installed into `.laps/hooks.json` and what fired (spec 05 §8).

const workspace = async () => (await resolveWorkspace(process.cwd())).root;

const list = defineCommand({
  meta: { description: "List the hooks in .laps/hooks.json (rally's and yours)" },
  async run() {
    writeOut(renderHooksList(listHooks(await workspace())));
  },
});

const logs = defineCommand({
  meta: { description: "Show the last hook firings from .rally/state/hook-audit.jsonl" },
  args: { tail: { type: "string", alias: "n", description: "How many lines (0 = all)", default: "20" } },
  async run({ args }) {
    const n = Number(args.tail);
    if (!Number.isInteger(n) || n < 0) throw new RallyError("HOOKS_FLAGS", `--tail must be a whole number, got "${args.tail}"`, "e.g. rally hooks logs -n 50");
    writeOut(renderHookLogs(readHookLogs(await workspace(), n)));
  },
});

const help = defineCommand({
  meta: { description: "Explain rally's laps hooks and the hook audit log" },
  run() {
    writeOut(HOOKS_HELP);
  },
});

export default defineCommand({
  meta: { description: "Inspect rally's laps hooks (list, logs, help)" },
  subCommands: { list, logs, help },
});
