import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { defineCommand } from "citty";
import { join } from "pathe";
import { resolveWorkspace } from "../../git/workspace.ts";
import { INSTRUCTIONS_TEMPLATE } from "../../workspace/templates.ts";
import { openInEditor } from "../editor.ts";
import { say } from "../output.ts";
import { writeOut } from "../stdio.ts";

const instructionsPath = async () => join((await resolveWorkspace(process.cwd())).root, ".rally", "instructions.md");

const show = defineCommand({
  meta: { description: "Print .rally/instructions.md" },
  async run() {
    const path = await instructionsPath();
    if (existsSync(path)) writeOut(readFileSync(path, "utf8"));
    else say("(no project instructions set)");
  },
});

const edit = defineCommand({
  meta: { description: "Open .rally/instructions.md in $VISUAL/$EDITOR (created if missing)" },
  async run() {
    const path = await instructionsPath();
    if (!existsSync(path)) {
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, INSTRUCTIONS_TEMPLATE);
    }
    await openInEditor(path, process.env);
  },
});

export default defineCommand({
  meta: { description: "Show or edit the project instructions sent with every prompt" },
  subCommands: { show, edit },
});
