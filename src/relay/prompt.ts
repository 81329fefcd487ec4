import { GENERAL } from "../prompts/index.ts";
import type { TryRecord } from "../state/schema.ts";

// The prompt each try receives, assembled in a fixed section order (spec 03 §11.2). Empty parts
// are left out entirely so agents never see empty headings.

export interface PromptParts {
  mode: "laps" | "free-run";
  /** Effective role (lap assignee or route); `verify` changes the exit instructions. */
  role?: string;
  leftoverWork: boolean;
  taskName?: string;
  taskRequirements?: string;
  instructions?: string;
  roleInstructions?: string;
  taskPrompt: string;
  relayMessage?: string;
  inboxMessage?: string;
  previousSummary?: string;
  recentTries?: string;
}

export const DEFAULT_FREE_RUN_PROMPT =
  "Continue improving this project. Read its README and any planning notes, pick the most valuable next step that is clearly in scope, implement it with tests, and commit your work.";

export function buildPrompt(p: PromptParts): string {
  const out: string[] = [];
  const section = (title: string, body?: string) => {
    if (body?.trim()) out.push(`${title}\n${body.trim()}\n`);
  };
  const isVerify = p.role?.trim().toLowerCase() === "verify";
  if (p.mode === "laps") {
    section("## Headless Operation", GENERAL.headless);
    if (!isVerify) section("## Finalizing Your Work", GENERAL.finalize);
  }
  if (p.leftoverWork) section("## Leftover Changes", GENERAL.leftoverWork);
  if (p.taskName?.trim()) out.push(`Task: ${p.taskName.trim()}`);
  section("Requirements:", p.taskRequirements);
  section("## Project Instructions", p.instructions);
  section("## Role Instructions", p.roleInstructions);
  section("## Task", p.taskPrompt);
  section("Relay Message:", p.relayMessage);
  section("Inbox Message:", p.inboxMessage);
  section("Previous Summary:", p.previousSummary);
  section("Recent Try Context:", p.recentTries);
  out.push(p.mode === "laps" ? lapsExit(isVerify) : FREE_RUN_EXIT);
  out.push("", "Rally keeps its data for this repo in .rally/ (see .rally/README.md).");
  return out.join("\n");
}

const FREE_RUN_EXIT = [
  "## Run Exit Action",
  "When you finish, record your progress by running this shell command (calling rally from the agent is expected in this mode):",
  '  rally progress --summary "<one-line summary of what you did>" --followup "<the next task>"',
].join("\n");

function lapsExit(isVerify: boolean): string {
  const lines = [
    "## Run Exit Conditions",
    "laps tracks this work and rally already claimed the lap for you, so a bare `laps done` completes it.",
    "These are shell commands to run with your shell tool, not words to print. The hook prints what to do next.",
    "When finished, run:",
    "  laps done",
  ];
  if (isVerify) {
    lines.push("For VERIFY work, do not use `laps handoff`: add follow-up laps for problems you find, then run `laps done`.");
  } else {
    lines.push("If you are blocked, run:", "  laps handoff");
  }
  lines.push(
    "If you completed or handed off the wrong lap, undo it with `laps done undo` or `laps claim undo`.",
    "Follow any further instructions those commands print, and do not exit without running one of them.",
  );
  return lines.join("\n");
}

/** Recent tries of this relay as prompt context, newest last, each summary capped. */
export function recentTryContext(tries: TryRecord[], count: number, charLimit: number): string {
  return tries
    .slice(-count)
    .map((t) => {
      const summary = charLimit > 0 && t.summary.length > charLimit ? `${t.summary.slice(0, charLimit)}…` : t.summary;
      const status = t.completed ? "succeeded" : `failed${t.fail_reason ? ` (${t.fail_reason})` : ""}`;
      return `- try ${t.id}, run ${t.run_id}, ${t.agent_type}${t.model ? ` ${t.model}` : ""}: ${status}${summary ? ` — ${summary.replace(/\s+/g, " ").trim()}` : ""}`;
    })
    .join("\n");
}
