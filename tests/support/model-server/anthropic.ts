// Anthropic Messages API: POST /v1/messages (SSE when stream:true). Used by claude.

import { approxTokens, jsonResponse, retryHeaders, sseEvent, sseResponse } from "./sse.ts";
import type { Conversation, FaultOptions, RenderContext, Reply, Turn, WireAdapter } from "./types.ts";

function blockText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((b: any) => {
      if (b?.type === "text") return String(b.text ?? "");
      if (b?.type === "tool_result") return blockText(b.content);
      return "";
    })
    .filter(Boolean)
    .join("\n");
}

function parse(body: any, model: string): Conversation {
  const turns: Turn[] = [];
  for (const m of Array.isArray(body?.messages) ? body.messages : []) {
    const blocks = Array.isArray(m.content) ? m.content : [];
    const isToolResult = m.role === "user" && blocks.some((b: any) => b?.type === "tool_result");
    const role = isToolResult ? "tool" : m.role === "assistant" ? "assistant" : "user";
    turns.push({ role, text: blockText(m.content) });
  }
  const tools = (Array.isArray(body?.tools) ? body.tools : []).map((t: any) => String(t?.name ?? "")).filter(Boolean);
  const last = turns.at(-1);
  const lastUser = turns.findLast((t) => t.role === "user");
  return {
    protocol: "anthropic",
    model,
    turns,
    tools,
    lastIsToolResult: last?.role === "tool",
    lastUserText: lastUser?.text ?? "",
  };
}

type ContentBlock = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

function contentOf(reply: Exclude<Reply, { kind: "fault" }>, seq: number): ContentBlock {
  if (reply.kind === "tool") return { type: "tool_use", id: `toolu_mock_${seq}`, name: reply.call.name, input: reply.call.args };
  const text = reply.kind === "json" ? JSON.stringify(reply.value) : reply.text;
  return { type: "text", text };
}

function render(reply: Exclude<Reply, { kind: "fault" }>, ctx: RenderContext): Response {
  const block = contentOf(reply, ctx.seq);
  const stopReason = block.type === "tool_use" ? "tool_use" : "end_turn";
  const outText = block.type === "text" ? block.text : JSON.stringify(block.input);
  const usage = { input_tokens: 20, output_tokens: approxTokens(outText) };
  const id = `msg_mock_${ctx.seq}`;
  if (!ctx.stream) {
    return jsonResponse({ id, type: "message", role: "assistant", model: ctx.model, content: [block], stop_reason: stopReason, stop_sequence: null, usage });
  }
  const start = block.type === "text" ? { type: "text", text: "" } : { ...block, input: {} };
  const delta =
    block.type === "text"
      ? { type: "text_delta", text: block.text }
      : { type: "input_json_delta", partial_json: JSON.stringify(block.input) };
  const events = [
    sseEvent({ type: "message_start", message: { id, type: "message", role: "assistant", model: ctx.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } }, "message_start"),
    sseEvent({ type: "content_block_start", index: 0, content_block: start }, "content_block_start"),
    sseEvent({ type: "content_block_delta", index: 0, delta }, "content_block_delta"),
    sseEvent({ type: "content_block_stop", index: 0 }, "content_block_stop"),
    sseEvent({ type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }, "message_delta"),
    sseEvent({ type: "message_stop" }, "message_stop"),
  ];
  return sseResponse(events.join(""));
}

function errorBody(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

function errorResponse(fault: "rateLimit429" | "usageLimit" | "auth401" | "overloaded", o: FaultOptions): Response {
  const retry = retryHeaders(o);
  switch (fault) {
    case "rateLimit429":
      return jsonResponse(errorBody("rate_limit_error", o.message ?? "This request would exceed your account's rate limit. Please try again later."), 429, retry);
    case "usageLimit": {
      const reset = Math.floor(Date.now() / 1000) + (o.resetsInSeconds ?? 3600);
      return jsonResponse(errorBody("rate_limit_error", o.message ?? "You've hit your limit · resets 7pm (Europe/Istanbul)"), 429, {
        ...retry,
        "anthropic-ratelimit-unified-status": "rejected",
        "anthropic-ratelimit-unified-reset": String(reset),
        "anthropic-ratelimit-unified-representative-claim": "five_hour",
      });
    }
    case "auth401":
      return jsonResponse(errorBody("authentication_error", o.message ?? "invalid x-api-key"), 401, retry);
    case "overloaded":
      return jsonResponse(errorBody("overloaded_error", o.message ?? "Overloaded"), 529, retry);
  }
}

function messageStart(ctx: RenderContext): string {
  return sseEvent({ type: "message_start", message: { id: `msg_mock_${ctx.seq}`, type: "message", role: "assistant", model: ctx.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 1 } } }, "message_start");
}

function malformedBody(ctx: RenderContext, cut: boolean): string {
  const broken = `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"trunc`;
  return messageStart(ctx) + sseEvent({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start") + broken + (cut ? "" : "\n\n");
}

export const anthropic: WireAdapter = {
  protocol: "anthropic",
  parse,
  render,
  errorResponse,
  malformedBody,
  stallPrelude: messageStart,
};
