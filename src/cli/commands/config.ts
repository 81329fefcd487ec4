import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { defineCommand } from "citty";
import { dirname } from "pathe";
import { repoConfigPath, userConfigPath } from "../../config/paths.ts";
import { requireRepo } from "../../git/workspace.ts";
import { REPO_CONFIG_TEMPLATE, USER_CONFIG_TEMPLATE } from "../../workspace/templates.ts";
import { openInEditor } from "../editor.ts";
import { loadWorkspaceConfig } from "../load-config.ts";
import { say } from "../output.ts";

export default defineCommand({
  meta: { description: "Open the user config (or the repo config with --repo) in $VISUAL/$EDITOR, then validate it" },
  args: { repo: { type: "boolean", description: "Edit this repo's .rally/config.toml instead of the user config" } },
  async run({ args }) {
    const ws = args.repo ? await requireRepo(process.cwd()) : undefined;
    const path = ws ? repoConfigPath(ws) : userConfigPath(process.env);
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
