import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { defineCommand } from "citty";
import { dirname } from "pathe";
import { repoConfigPath, userConfigPath } from "../../config/paths.ts";
import { RallyError } from "../../errors.ts";
import { requireRepo } from "../../git/workspace.ts";
import { REPO_CONFIG_TEMPLATE, USER_CONFIG_TEMPLATE } from "../../workspace/templates.ts";
import { openInEditor } from "../editor.ts";
import { loadWorkspaceConfig } from "../load-config.ts";
import { say } from "../output.ts";
import { isTerminal } from "../stdio.ts";

export default defineCommand({
  meta: { description: "Open the user config (or the repo config with --repo) in $VISUAL/$EDITOR, then validate it" },
  args: { repo: { type: "boolean", description: "Edit this repo's .rally/config.toml instead of the user config" } },
  async run({ args }) {
    const ws = args.repo ? await requireRepo(process.cwd()) : undefined;
    const path = ws ? repoConfigPath(ws) : userConfigPath(process.env);
    // The editor needs the terminal (spec 01 §4.7): without one, vi paints escape codes into a
    // pipe and fails. Refuse before anything is written.
    if (!isTerminal(0)) {
      throw new RallyError("CONFIG_NEEDS_TTY", "rally config requires a terminal to run your editor", `edit ${path} directly`);
    }
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, ws ? REPO_CONFIG_TEMPLATE : USER_CONFIG_TEMPLATE);
      say(`Created ${path} from the template.`);
    }
    await openInEditor(path, process.env);
    // Validate what was saved so a typo surfaces now, not at the next relay.
    await loadWorkspaceConfig({ printWarnings: true });
    say(`${path} is valid.`);
  },
});
