import type { HarnessErrorEvent } from "../../reliability/evidence.ts";
import type { TokenUsage } from "../../state/schema.ts";
import { asCount, asId, asObject, asString, type JsonObject, parseEventLine, SKIPPED_EVENT } from "../json-events.ts";
import { stripAnsi } from "../lines.ts";
import type { HarnessResult, OutputParser, Stream } from "../types.ts";

// gemini-cli `-o stream-json`: `init` (session_id) first, then `message` events (assistant text
// arrives as `delta` pieces), `tool_use` / `tool_result`, and one final `result` whose `status`
// is "success" or "error" (with `error.type` and `error.message`) and whose `stats` hold the usage.

interface GeminiState {
  sessionId?: string;
  toolCalls: number;
  /** The assistant's current reply, built from deltas; reset when a tool call interrupts it. */
  reply: string;
  lastReply?: string;
  result?: JsonObject;
  sawEvent: boolean;
  errorEvents: HarnessErrorEvent[];
}

/** The event types readGeminiEvent acts on; the rest (`tool_result` above all) are skipped unparsed. */
const EVENTS_READ: ReadonlySet<string> = new Set(["init", "message", "tool_use", "error", "result"]);

export function createGeminiParser(): OutputParser {
  const state: GeminiState = { toolCalls: 0, reply: "", sawEvent: false, errorEvents: [] };
  return {
    onLine(stream: Stream, line: string) {
      if (stream !== "stdout") return; // stderr: terminal warnings, retry notices, stack traces
      const event = parseEventLine(line, EVENTS_READ);
      if (event === SKIPPED_EVENT) state.sawEvent = true;
      else if (event) readGeminiEvent(state, event);
    },
    stdoutFilter: { reads: EVENTS_READ, onSkipped: () => void (state.sawEvent = true) },
    finish: (exitCode) => geminiResult(state, exitCode),
  };
}

function readGeminiEvent(state: GeminiState, event: JsonObject): void {
  state.sawEvent = true;
  switch (event.type) {
    case "init":
      state.sessionId = asId(event.session_id) ?? state.sessionId;
      break;
    case "message":
      if (event.role === "assistant") appendReply(state, event);
      break;
    case "tool_use":
      state.toolCalls++;
      state.reply = "";
      break;
    case "error":
      // Non-fatal stream errors; warnings are the CLI talking about itself, not the provider.
      if (event.severity !== "warning") state.errorEvents.push({ source: "error_event", message: asString(event.message) ?? "" });
      break;
    case "result":
      state.result = event;
      if (event.status === "error") state.errorEvents.push(resultError(asObject(event.error)));
      break;
  }
}

function appendReply(state: GeminiState, event: JsonObject): void {
  const content = asString(event.content) ?? "";
  state.reply = event.delta === true ? state.reply + content : content;
  const text = stripAnsi(state.reply).trim();
  if (text) state.lastReply = text;
}

function resultError(error: JsonObject | undefined): HarnessErrorEvent {
  return { source: "result", code: asId(error?.type), message: asString(error?.message) ?? "" };
}

function geminiUsage(stats: JsonObject | undefined): TokenUsage | undefined {
  if (!stats) return undefined;
  return {
    input_tokens: asCount(stats.input_tokens),
    output_tokens: asCount(stats.output_tokens),
    cache_read_tokens: asCount(stats.cached),
  };
}

function geminiResult(state: GeminiState, exitCode: number | null): HarnessResult {
  const { result } = state;
  const base = { sessionId: state.sessionId, errorEvents: state.errorEvents };
  if (!result) {
    const summary = state.lastReply ?? (state.sawEvent ? "gemini exited before its final result event" : "");
    return { ...base, completed: false, summary, toolCalls: state.toolCalls };
  }
  const stats = asObject(result.stats);
  const errorText = result.status === "error" ? stripAnsi(state.errorEvents.at(-1)?.message ?? "").trim() : "";
  return {
    ...base,
    completed: result.status === "success" && exitCode === 0,
    summary: errorText || state.lastReply || `gemini result: ${asString(result.status) ?? "no status"}`,
    toolCalls: Math.max(state.toolCalls, asCount(stats?.tool_calls) ?? 0),
    usage: geminiUsage(stats),
  };
}
