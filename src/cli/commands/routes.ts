import { defineCommand } from "citty";
import { configWarnings, loadWorkspaceConfig } from "../load-config.ts";
import { say } from "../output.ts";

const check = defineCommand({
  meta: { description: "Validate the config and print a summary of routes, harnesses, models and roles" },
  async run() {
    const { loaded } = await loadWorkspaceConfig();
    const routes = Object.entries(loaded.config.routes).sort(([a], [b]) => a.localeCompare(b));
    say("routes check summary:");
    if (routes.length === 0) say("- no routes declared");
    for (const [name, entries] of routes) say(`- ${name}: ${entries.length} ${entries.length === 1 ? "entry" : "entries"}`);
    const warnings = configWarnings(loaded);
    if (routes.length > 0 && !routes.some(([n]) => n.toLowerCase() === "default")) {
      warnings.push("no default route is configured; laps without a matching assignee will fail at run-time");
    }
    if (warnings.length) say();
    warnings.forEach((w) => say(`warning: ${w}`));
  },
});

export default defineCommand({
  meta: { description: "Validate and summarise routes, harnesses, models and roles" },
  subCommands: { check },
});
