import type { HarnessErrorEvent } from "../../reliability/evidence.ts";
import type { TokenUsage } from "../../state/schema.ts";
import { addUsage, asCount, asId, asObject, asString, type JsonObject, parseEventLine, SKIPPED_EVENT } from "../json-events.ts";
import { stripAnsi } from "../lines.ts";
import type { HarnessResult, OutputParser, Stream } from "../types.ts";

// `codex exec --json`: JSONL on stdout. `thread.started` carries the session (thread) id,
// `item.completed` the agent's messages and tool calls, `turn.completed` the token usage, and a
// failed turn ends with `error` events followed by `turn.failed`.

/** Items that are the agent acting on the workspace (agent_message, reasoning and the like are not). */
const TOOL_ITEM_TYPES = new Set(["command_execution", "file_change", "web_search", "mcp_tool_call", "custom_tool_call"]);

interface CodexState {
  sessionId?: string;
  toolCalls: number;
  lastMessage?: string;
  turnsCompleted: number;
  turnFailed?: string;
  usage?: TokenUsage;
  sawEvent: boolean;
  errorEvents: HarnessErrorEvent[];
}

/** The event types readCodexEvent acts on; the rest (item.started/updated, turn.started) are skipped unparsed. */
const EVENTS_READ: ReadonlySet<string> = new Set(["thread.started", "item.completed", "turn.completed", "turn.failed", "error"]);

export function createCodexParser(): OutputParser {
  const state: CodexState = { toolCalls: 0, turnsCompleted: 0, sawEvent: false, errorEvents: [] };
  return {
    onLine(stream: Stream, line: string) {
      if (stream !== "stdout") return; // stderr: "Reading additional input from stdin..." and warnings
      const event = parseEventLine(line, EVENTS_READ);
      if (event === SKIPPED_EVENT) state.sawEvent = true;
      else if (event) readCodexEvent(state, event);
    },
    stdoutFilter: { reads: EVENTS_READ, onSkipped: () => void (state.sawEvent = true) },
    finish: (exitCode) => codexResult(state, exitCode),
    sessionId: () => state.sessionId,
  };
}

function readCodexEvent(state: CodexState, event: JsonObject): void {
  state.sawEvent = true;
  switch (event.type) {
    case "thread.started":
      state.sessionId ??= asId(event.thread_id);
      break;
    case "item.completed":
      readItem(state, asObject(event.item));
      break;
    case "turn.completed":
      state.turnsCompleted++;
      state.usage = addUsage(state.usage, codexUsage(asObject(event.usage)));
      break;
    case "turn.failed": {
      const message = asString(asObject(event.error)?.message) ?? "turn failed";
      state.turnFailed = message;
      state.errorEvents.push({ source: "result", message });
      break;
    }
    case "error":
      state.errorEvents.push({ source: "error_event", message: asString(event.message) ?? "" });
      break;
  }
}

function readItem(state: CodexState, item: JsonObject | undefined): void {
  if (!item) return;
  const type = asString(item.type) ?? "";
  if (TOOL_ITEM_TYPES.has(type)) state.toolCalls++;
  if (type === "agent_message") {
    const text = asString(item.text)?.trim();
    if (text) state.lastMessage = stripAnsi(text);
  }
  // `item.type == "error"` items are warnings codex recovers from ("Model metadata … not found").
}

function codexUsage(usage: JsonObject | undefined): TokenUsage {
  if (!usage) return {};
  return {
    input_tokens: asCount(usage.input_tokens),
    output_tokens: asCount(usage.output_tokens),
    cache_read_tokens: asCount(usage.cached_input_tokens),
    cache_write_tokens: asCount(usage.cache_write_input_tokens),
    reasoning_tokens: asCount(usage.reasoning_output_tokens),
  };
}

function codexResult(state: CodexState, exitCode: number | null): HarnessResult {
  const completed = exitCode === 0 && state.turnsCompleted > 0 && state.turnFailed === undefined;
  const lastError = state.errorEvents.at(-1)?.message;
  const fallback = state.sawEvent ? "codex exited before completing its turn" : "";
  return {
    completed,
    summary: state.lastMessage ?? state.turnFailed ?? lastError ?? fallback,
    sessionId: state.sessionId,
    toolCalls: state.toolCalls,
    usage: state.usage,
    errorEvents: state.errorEvents,
  };
}
