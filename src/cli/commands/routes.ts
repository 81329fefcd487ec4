import { existsSync, readdirSync, readFileSync } from "node:fs";
import { defineCommand } from "citty";
import { join } from "pathe";
import { GENERAL, embeddedRole, ROLE_NAMES } from "../../prompts/index.ts";
import { routesCheckReport, type RoleFile } from "../../routing/index.ts";
import { RallyError } from "../../errors.ts";
import { loadWorkspaceConfig } from "../load-config.ts";
import { say } from "../output.ts";
import { writeOut } from "../stdio.ts";

/** Embedded roles, each replaced by the user's `.rally/agents/user/<ROLE>.md` when present. */
function roleFiles(workspace: string): RoleFile[] {
  const dir = join(workspace, ".rally", "agents", "user");
  const custom = new Map<string, string>();
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.toLowerCase().endsWith(".md") && f !== "README.md") custom.set(f.slice(0, -3).toLowerCase(), f);
  const names = [...new Set([...ROLE_NAMES, ...custom.keys()])].sort();
  return names.map((name) => {
    const file = custom.get(name);
    if (file) return { name, source: "custom", path: `.rally/agents/user/${file}`, text: readFileSync(join(dir, file), "utf8") };
    return { name, source: "embedded", text: embeddedRole(name) ?? "" };
  });
}

/** Lap assignees, if this workspace has a laps queue (the laps client loads only then). */
async function lapsAssignees(workspace: string): Promise<string[]> {
  if (!existsSync(join(workspace, ".laps", "laps.json"))) return [];
  return (await import("../../laps/index.ts")).collectAssignees(workspace);
}

const check = defineCommand({
  meta: { description: "Validate the config and print a summary of routes, providers, models and roles" },
  async run() {
    const { workspace, loaded } = await loadWorkspaceConfig();
    const report = routesCheckReport(loaded.config, {
      lapsAssignees: await lapsAssignees(workspace),
      roleFiles: roleFiles(workspace),
      notes: [...loaded.notes, ...loaded.unknownKeys],
      snippets: { finalize: GENERAL.finalize, headless: GENERAL.headless },
    });
    writeOut(report.stdout.endsWith("\n") ? report.stdout : report.stdout + "\n");
    if (!report.ok) {
      throw new RallyError("ROUTES_INVALID", report.errors[0]!.startsWith("routes check:") ? report.errors[0]! : `routes check: ${report.errors[0]}`, "fix the route entry in your config; `rally routes check` lists the routes");
    }
  },
});

export default defineCommand({
  meta: { description: "Validate and summarise routes, harnesses, models and roles" },
  subCommands: { check },
});
