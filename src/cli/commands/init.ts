import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { join } from "pathe";
import { initWorkspace } from "../../workspace/init.ts";
import { initRoles } from "../../workspace/roles.ts";
import { requireRepo } from "../../git/workspace.ts";
import { note, say } from "../output.ts";

async function scaffold(): Promise<string> {
  const report = await initWorkspace(process.cwd(), process.env);
  report.out.forEach((l) => say(l));
  report.err.forEach((l) => note(l));
  return report.workspace;
}

const roles = defineCommand({
  meta: { description: "Add role routes (default, junior, senior, ui, verify, recovery) and role prompt files" },
  async run() {
    const ws = await requireRepo(process.cwd());
    initRoles(ws, process.env).forEach((l) => say(l));
  },
});

const all = defineCommand({
  meta: { description: "Run `rally init` and `rally init roles`" },
  async run() {
    const ws = await scaffold();
    initRoles(ws, process.env).forEach((l) => say(l));
  },
});

export default defineCommand({
  meta: { description: "Set up rally in this repo: .rally/, a repo config, a user config if missing; commits the setup" },
  subCommands: { roles, all },
  async run() {
    const ws = await scaffold();
    if (!existsSync(join(ws, ".rally", "agents"))) say("Tip: run `rally init roles` to set up role-based routing (recommended).");
  },
});
