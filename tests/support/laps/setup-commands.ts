// Test laps: `init`, `on`/`off`, `version`, help text (spec 09 §3.1, §3.2, §3.8).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { errLine, openStore, parseArgs, withHooks, type Ctx } from "./context.ts";
import { locateRoot, queuePath, saveQueue } from "./store.ts";

function git(root: string, args: string[]): { ok: boolean; output: string } {
  const proc = Bun.spawnSync(["git", ...args], { cwd: root, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const output = `${proc.stdout.toString()}${proc.stderr.toString()}`.trim();
  return { ok: proc.exitCode === 0, output };
}

function ensureGitignore(root: string): boolean {
  const path = join(root, ".gitignore");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (text.split("\n").some((line) => line.trim() === ".laps/claim")) return false;
  const sep = text && !text.endsWith("\n") ? "\n" : "";
  writeFileSync(path, `${text}${sep}.laps/claim\n`);
  return true;
}

/** Always exit 0: git failures are only a stderr note. */
export function cmdInit(ctx: Ctx, tokens: string[]): number {
  parseArgs(tokens, {});
  const root = locateRoot(ctx.cwd);
  const file = queuePath(root, ctx.fileName);
  const changed: string[] = [];
  if (!existsSync(file)) {
    saveQueue(file, []);
    changed.push(relative(root, file));
    ctx.stdout.push(`Created ${relative(root, file)}\n`);
  }
  if (ensureGitignore(root)) {
    changed.push(".gitignore");
    ctx.stdout.push("Added .laps/claim to .gitignore\n");
  }
  if (!changed.length) {
    ctx.stdout.push("Already initialized\n");
    return 0;
  }
  const add = git(root, ["add", "--", ...changed]);
  const commit = add.ok ? git(root, ["commit", "-m", "chore: laps init"]) : add;
  if (add.ok && commit.ok) ctx.stdout.push("Committed initialization\n");
  else errLine(`note: auto-commit (${add.ok ? "git commit" : "git add"}) failed: ${commit.output}`);
  return 0;
}

const BLOCK_RE = /<laps-instructions>[\s\S]*?<\/laps-instructions>\n?/;

export const INSTRUCTIONS_BLOCK = `<laps-instructions>
This repository keeps its task queue in .laps/ (managed by the \`laps\` CLI).
- \`laps get head\` shows the next task; \`laps list\` shows the queue.
- \`laps claim\` claims the head task; \`laps done\` completes the claimed task.
- \`laps add head|tail|after <id> --title "..." --description "..."\` adds a task.
</laps-instructions>
`;

function instructionFiles(cwd: string): string[] {
  const files = [join(cwd, "AGENTS.md")];
  for (const name of ["CLAUDE.md", "GEMINI.md"]) if (existsSync(join(cwd, name))) files.push(join(cwd, name));
  return files;
}

function writeBlock(path: string, on: boolean): void {
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (!on) {
    if (BLOCK_RE.test(text)) writeFileSync(path, text.replace(BLOCK_RE, "").replace(/\n{3,}/g, "\n\n"));
    return;
  }
  if (BLOCK_RE.test(text)) return writeFileSync(path, text.replace(BLOCK_RE, INSTRUCTIONS_BLOCK));
  const sep = !text ? "" : text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  writeFileSync(path, `${text}${sep}${INSTRUCTIONS_BLOCK}`);
}

export function cmdOnOff(ctx: Ctx, tokens: string[], on: boolean): number {
  const args = parseArgs(tokens, {});
  const store = openStore(ctx, true);
  return withHooks(ctx, store, on ? "on" : "off", args.positionals, undefined, () => {
    for (const path of instructionFiles(ctx.cwd)) {
      if (on || existsSync(path)) writeBlock(path, on);
    }
    return { stdout: "", output: "" };
  });
}

export function fakeVersion(ctx: Ctx): string {
  return process.env.LAPS_FAKE_VERSION || (ctx.mode === "0.9" ? "0.9.0" : "0.8.1");
}

export const USAGE: Record<string, string> = {
  "": `laps — a task queue for coding agents (rally test double)

Usage: laps [-f <file>] <command> [args]

Commands:
  init                         create .laps/laps.json
  on | off                     add/remove the <laps-instructions> block in AGENTS.md
  add head|tail|after <id>     add a lap (--title, --description, --assignee | --json | --stdin)
  get [head|<id>]              show a lap
  claim [head|<id>] | undo     claim a lap for \`laps done\`
  list [--all|--done]          list laps
  done [<id>] | undo [-y]      complete the claimed (or given) lap
  version                      print the version
  <word> [args]                run the hooks declared for <word>
`,
  add: `Usage: laps add <head|tail|after <id>> --title <title> [--description <text>] [--assignee <label>]
       laps add <position> --json '{"title":"...","description":"...","assignee":"..."}'
       laps add <position> --title <title> --stdin

Positions:
  head          insert at the front of the queue (worked on next)
  tail          append to the end of the queue
  after <id>    insert right after lap <id>

Flags:
  --title <title>         one-line title (required)
  --description <text>    details; a literal \\n becomes a newline
  --assignee <label>      routing label (e.g. SENIOR, junior, VERIFY)
  --json <object>         title/description/assignee as one JSON object
  --stdin                 read the description from stdin
`,
};
