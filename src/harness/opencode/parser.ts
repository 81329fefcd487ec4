import type { HarnessErrorEvent } from "../../reliability/evidence.ts";
import type { TokenUsage } from "../../state/schema.ts";
import { addUsage, asCount, asId, asNumber, asObject, asString, type JsonObject, parseJsonLine } from "../json-events.ts";
import { stripAnsi } from "../lines.ts";
import type { HarnessResult, OutputParser, Stream } from "../types.ts";

// `opencode run --format json`: every event carries a camelCase `sessionID`. A run is a series of
// steps (`step_start` … `step_finish` with `reason`, `tokens`, `cost`); assistant text arrives as
// `text` parts and tool calls as `tool_use`. There is no final result event: a run that ended well
// has a last `step_finish` with reason "stop" and exit 0. Failures print one `error` event.

interface OpencodeState {
  sessionId?: string;
  toolCalls: number;
  /** Text of the current step; a new step that speaks replaces the previous step's text. */
  stepText: string;
  stepHasText: boolean;
  lastText?: string;
  lastFinishReason?: string;
  usage?: TokenUsage;
  costUsd?: number;
  sawEvent: boolean;
  errorEvents: HarnessErrorEvent[];
  /** Steps started in a row with nothing to show (no text, tool call or finished step). */
  emptySteps: number;
}

/**
 * opencode retries a stream the provider keeps cutting by starting the step again, forever and
 * without an error (07b "malformed-cut"); this many empty restarts in a row is no progress.
 */
export const EMPTY_STEP_LIMIT = 25;

export function createOpencodeParser(): OutputParser {
  const state: OpencodeState = { toolCalls: 0, stepText: "", stepHasText: false, sawEvent: false, errorEvents: [], emptySteps: 0 };
  return {
    onLine(stream: Stream, line: string) {
      if (stream !== "stdout") return;
      const event = parseJsonLine(line);
      if (event) readOpencodeEvent(state, event);
    },
    finish: (exitCode) => opencodeResult(state, exitCode),
    stuck: () =>
      state.emptySteps >= EMPTY_STEP_LIMIT ? `opencode restarted its step ${state.emptySteps} times without output (a cut or looping stream)` : undefined,
  };
}

function readOpencodeEvent(state: OpencodeState, event: JsonObject): void {
  state.sawEvent = true;
  state.sessionId ??= asId(event.sessionID);
  const part = asObject(event.part);
  if (event.type === "tool_use" || part?.type === "tool") state.toolCalls++;
  // Anything but another bare step start is progress.
  state.emptySteps = event.type === "step_start" ? state.emptySteps + 1 : 0;
  switch (event.type) {
    case "step_start":
      state.stepHasText = false;
      break;
    case "text":
      appendText(state, asString(part?.text) ?? "");
      break;
    case "step_finish":
      state.lastFinishReason = asString(part?.reason);
      state.usage = addUsage(state.usage, opencodeUsage(asObject(part?.tokens)));
      if (asNumber(part?.cost) !== undefined) state.costUsd = (state.costUsd ?? 0) + asNumber(part?.cost)!;
      break;
    case "error":
      state.errorEvents.push(opencodeError(asObject(event.error)));
      break;
  }
}

function appendText(state: OpencodeState, text: string): void {
  if (!state.stepHasText) state.stepText = "";
  state.stepHasText = true;
  state.stepText += text;
  const clean = stripAnsi(state.stepText).trim();
  if (clean) state.lastText = clean;
}

function opencodeUsage(tokens: JsonObject | undefined): TokenUsage {
  if (!tokens) return {};
  const cache = asObject(tokens.cache);
  return {
    input_tokens: asCount(tokens.input),
    output_tokens: asCount(tokens.output),
    reasoning_tokens: asCount(tokens.reasoning),
    cache_read_tokens: asCount(cache?.read),
    cache_write_tokens: asCount(cache?.write),
  };
}

function opencodeError(error: JsonObject | undefined): HarnessErrorEvent {
  const data = asObject(error?.data);
  const name = asId(error?.name);
  const status = asNumber(data?.statusCode);
  return {
    source: "error_event",
    code: name,
    message: asString(data?.message) ?? name ?? "unknown error",
    status: status !== undefined && Number.isInteger(status) ? status : undefined,
    retryAfterSecs: retryAfter(asObject(data?.responseHeaders)),
  };
}

/** The provider's `retry-after` header as opencode passed it through, when it is a number of seconds. */
function retryAfter(headers: JsonObject | undefined): number | undefined {
  const value = asString(headers?.["retry-after"]);
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Number(value);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function opencodeResult(state: OpencodeState, exitCode: number | null): HarnessResult {
  const error = state.errorEvents[0];
  const completed = exitCode === 0 && !error && state.lastFinishReason === "stop";
  let summary = state.lastText ?? "";
  if (error) summary = `opencode error: ${collapse(stripAnsi(error.message))}`;
  else if (!summary && state.sawEvent) summary = `opencode ended without assistant text (last step: ${state.lastFinishReason ?? "none"})`;
  return {
    completed,
    summary,
    sessionId: state.sessionId,
    toolCalls: state.toolCalls,
    usage: state.usage,
    costUsd: state.costUsd,
    errorEvents: state.errorEvents,
  };
}
