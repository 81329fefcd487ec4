import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, normalize } from "pathe";

// A tiny scripted "agent" shipped inside rally, so a relay can run on a machine with no agent
// CLI or account. It understands one kind of task — create a file — and otherwise appends a note
// to DEMO.md. It prints a few progress lines and a one-line summary, like a real headless agent.

const CREATE = /create (?:an? )?(?:empty )?file (?:called |named )?[`'"]?([\w./-]+)[`'"]?(?: with (?:the )?content [`'"](.*?)[`'"])?/i;

export function runDemoAgent(prompt: string, workspace: string, now = new Date()): string {
  const task = /## Task\n([\s\S]*?)(?:\n\n|\n##|$)/.exec(prompt)?.[1]?.trim() ?? prompt.trim();
  const match = CREATE.exec(task);
  if (match) {
    const target = normalize(match[1]!);
    if (target.startsWith("..") || target.startsWith("/")) return `refused: ${target} is outside the workspace`;
    const path = join(workspace, target);
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path)) {
      writeFileSync(path, match[2] ? `${match[2]}\n` : "");
      return `created ${target}`;
    }
    appendFileSync(join(workspace, "DEMO.md"), `- ${now.toISOString()}: ${target} already existed; nothing to create\n`);
    return `${target} already exists; noted it in DEMO.md`;
  }
  appendFileSync(join(workspace, "DEMO.md"), `- ${now.toISOString()}: ${task.split("\n")[0]!.slice(0, 120)}\n`);
  return "appended a progress note to DEMO.md";
}
