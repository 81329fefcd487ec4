import type { HarnessErrorEvent } from "../../reliability/evidence.ts";
import type { TokenUsage } from "../../state/schema.ts";
import { asCount, asId, asNumber, asObject, asString, type JsonObject, parseEventLine, SKIPPED_EVENT } from "../json-events.ts";
import { stripAnsi } from "../lines.ts";
import type { HarnessResult, OutputParser, Stream } from "../types.ts";

// Claude Code `--output-format stream-json --verbose`: one JSON event per line on stdout.
// `session_id` rides on every event; the run ends with one `result` event whose `subtype` stays
// "success" even for API errors, so `is_error` is what says whether the turn really succeeded.

interface ClaudeState {
  sessionId?: string;
  toolCalls: number;
  lastAssistantText?: string;
  result?: JsonObject;
  sawEvent: boolean;
  errorEvents: HarnessErrorEvent[];
}

/** The event types readClaudeEvent acts on; the rest (`user` tool results above all) are skipped unparsed. */
const EVENTS_READ: ReadonlySet<string> = new Set(["system", "assistant", "rate_limit_event", "result"]);

export function createClaudeParser(): OutputParser {
  const state: ClaudeState = { toolCalls: 0, sawEvent: false, errorEvents: [] };
  return {
    onLine(stream: Stream, line: string) {
      if (stream !== "stdout") return; // stderr only carries transport noise; the engine keeps its tail
      const event = parseEventLine(line, EVENTS_READ);
      if (event === SKIPPED_EVENT) state.sawEvent = true;
      else if (event) readClaudeEvent(state, event);
    },
    stdoutFilter: { reads: EVENTS_READ, onSkipped: () => void (state.sawEvent = true) },
    finish: (exitCode) => claudeResult(state, exitCode),
  };
}

function readClaudeEvent(state: ClaudeState, event: JsonObject): void {
  state.sawEvent = true;
  state.sessionId = asId(event.session_id) ?? state.sessionId;
  switch (event.type) {
    case "assistant":
      readAssistant(state, event);
      break;
    case "rate_limit_event":
      readRateLimit(state, event);
      break;
    case "result":
      state.result = event;
      if (event.is_error === true) state.errorEvents.push(resultError(event));
      break;
  }
}

function readAssistant(state: ClaudeState, event: JsonObject): void {
  const content = asObject(event.message)?.content;
  const blocks = Array.isArray(content) ? content.map(asObject) : [];
  const texts: string[] = [];
  for (const block of blocks) {
    if (block?.type === "tool_use") state.toolCalls++;
    if (block?.type === "text" && typeof block.text === "string") texts.push(block.text);
  }
  const text = texts.join("\n").trim();
  if (text) state.lastAssistantText = text;
  // claude speaks for itself in synthetic assistant messages (model "<synthetic>"): API errors
  // carry a top-level `error` kind, limits may come as bare text. Those are the CLI's own words;
  // anything else the model wrote (quoting a file that mentions a limit, say) is not evidence.
  const kind = asId(event.error);
  const synthetic = asObject(event.message)?.model === "<synthetic>";
  if (kind || (synthetic && text)) state.errorEvents.push({ source: "error_event", code: kind, message: text });
}

function readRateLimit(state: ClaudeState, event: JsonObject): void {
  const info = asObject(event.rate_limit_info);
  if (info?.status !== "rejected") return; // "allowed" / "allowed_warning" are informational
  const window = asString(info.rateLimitType);
  state.errorEvents.push({
    source: "rate_limit_event",
    code: "rate_limit_event",
    message: window ? `rejected ${window}` : "rejected",
    resetsAt: asNumber(info.resetsAt),
  });
}

function resultError(result: JsonObject): HarnessErrorEvent {
  const status = asNumber(result.api_error_status);
  return {
    source: "result",
    message: resultText(result) ?? "",
    status: status !== undefined && Number.isInteger(status) ? status : undefined,
  };
}

function resultText(result: JsonObject): string | undefined {
  const text = asString(result.result);
  return text === undefined ? undefined : stripAnsi(text).trim();
}

function claudeUsage(result: JsonObject): TokenUsage | undefined {
  const usage = asObject(result.usage);
  if (!usage) return undefined;
  return {
    input_tokens: asCount(usage.input_tokens),
    output_tokens: asCount(usage.output_tokens),
    cache_read_tokens: asCount(usage.cache_read_input_tokens),
    cache_write_tokens: asCount(usage.cache_creation_input_tokens),
  };
}

function claudeResult(state: ClaudeState, exitCode: number | null): HarnessResult {
  const { result } = state;
  const lastText = state.lastAssistantText ? stripAnsi(state.lastAssistantText) : undefined;
  const base = { sessionId: state.sessionId, toolCalls: state.toolCalls, errorEvents: state.errorEvents };
  if (!result) {
    const summary = lastText ?? (state.sawEvent ? "claude exited before its final result event" : "");
    return { ...base, completed: false, summary };
  }
  const failed = result.is_error === true || result.subtype !== "success";
  return {
    ...base,
    completed: !failed && exitCode === 0,
    summary: resultText(result) || lastText || `claude result: ${asString(result.subtype) ?? "no text"}`,
    usage: claudeUsage(result),
    costUsd: asNumber(result.total_cost_usd),
  };
}
