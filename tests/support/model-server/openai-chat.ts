// OpenAI Chat Completions: POST /v1/chat/completions (SSE when stream:true). Used by opencode.

import { openaiErrorResponse } from "./openai-errors.ts";
import { approxTokens, jsonResponse, sseEvent, sseResponse, textOfParts } from "./sse.ts";
import type { Conversation, RenderContext, Reply, Turn, WireAdapter } from "./types.ts";


function parse(body: any, model: string): Conversation {
  const turns: Turn[] = [];
  for (const m of Array.isArray(body?.messages) ? body.messages : []) {
    if (m?.role === "user") turns.push({ role: "user", text: textOfParts(m.content) });
    else if (m?.role === "assistant") turns.push({ role: "assistant", text: textOfParts(m.content) });
    else if (m?.role === "tool") turns.push({ role: "tool", text: textOfParts(m.content) });
  }
  const tools = (Array.isArray(body?.tools) ? body.tools : [])
    .map((t: any) => t?.function?.name)
    .filter((n: unknown): n is string => typeof n === "string");
  return {
    protocol: "openai-chat",
    model,
    turns,
    tools,
    lastIsToolResult: turns.at(-1)?.role === "tool",
    lastUserText: turns.findLast((t) => t.role === "user")?.text ?? "",
  };
}

function render(reply: Exclude<Reply, { kind: "fault" }>, ctx: RenderContext): Response {
  const id = `chatcmpl_mock_${ctx.seq}`;
  const created = Math.floor(Date.now() / 1000);
  const text = reply.kind === "text" ? reply.text : reply.kind === "json" ? JSON.stringify(reply.value) : "";
  const toolCall =
    reply.kind === "tool"
      ? { id: `call_mock_${ctx.seq}`, type: "function", function: { name: reply.call.name, arguments: JSON.stringify(reply.call.args) } }
      : undefined;
  const finish = toolCall ? "tool_calls" : "stop";
  const completion = approxTokens(toolCall ? toolCall.function.arguments : text);
  const usage = { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion };
  if (!ctx.stream) {
    const message = toolCall ? { role: "assistant", content: null, tool_calls: [toolCall] } : { role: "assistant", content: text };
    return jsonResponse({ id, object: "chat.completion", created, model: ctx.model, choices: [{ index: 0, message, finish_reason: finish }], usage });
  }
  const chunk = (delta: unknown, finish_reason: string | null, extra: Record<string, unknown> = {}) =>
    sseEvent({ id, object: "chat.completion.chunk", created, model: ctx.model, choices: [{ index: 0, delta, finish_reason }], ...extra });
  const events = [chunk({ role: "assistant", content: "" }, null)];
  if (toolCall) events.push(chunk({ tool_calls: [{ index: 0, ...toolCall }] }, null));
  else events.push(chunk({ content: text }, null));
  events.push(chunk({}, finish));
  events.push(sseEvent({ id, object: "chat.completion.chunk", created, model: ctx.model, choices: [], usage }));
  events.push(sseEvent("[DONE]"));
  return sseResponse(events.join(""));
}

function firstChunk(ctx: RenderContext): string {
  const created = Math.floor(Date.now() / 1000);
  return sseEvent({ id: `chatcmpl_mock_${ctx.seq}`, object: "chat.completion.chunk", created, model: ctx.model, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
}

function malformedBody(ctx: RenderContext, cut: boolean): string {
  const broken = `data: {"id":"chatcmpl_bad","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"trunc`;
  return firstChunk(ctx) + broken + (cut ? "" : "\n\n");
}

export const openaiChat: WireAdapter = {
  protocol: "openai-chat",
  parse,
  render,
  errorResponse: openaiErrorResponse,
  malformedBody,
  // Chat Completions has no "created" event; a stall is headers only, like spec 07's `stall`.
  stallPrelude: () => "",
};
