// OpenAI Responses API: POST /v1/responses (SSE when stream:true). Used by codex.

import { openaiErrorResponse } from "./openai-errors.ts";
import { approxTokens, jsonResponse, sseEvent, sseResponse, textOfParts } from "./sse.ts";
import type { Conversation, RenderContext, Reply, Turn, WireAdapter } from "./types.ts";


function parse(body: any, model: string): Conversation {
  const turns: Turn[] = [];
  const input = typeof body?.input === "string" ? [{ type: "message", role: "user", content: body.input }] : body?.input;
  for (const item of Array.isArray(input) ? input : []) {
    const type = item?.type ?? "message";
    if (type === "message") {
      if (item.role === "user") turns.push({ role: "user", text: textOfParts(item.content) });
      else if (item.role === "assistant") turns.push({ role: "assistant", text: textOfParts(item.content) });
    } else if (type === "function_call_output" || type === "custom_tool_call_output") {
      const out = item.output;
      turns.push({ role: "tool", text: typeof out === "string" ? out : textOfParts(out) });
    } else if (type === "function_call" || type === "custom_tool_call") {
      turns.push({ role: "assistant", text: "" });
    }
  }
  const tools = (Array.isArray(body?.tools) ? body.tools : [])
    .filter((t: any) => t?.type === "function" && typeof t.name === "string")
    .map((t: any) => t.name as string);
  const last = turns.at(-1);
  return {
    protocol: "openai-responses",
    model,
    turns,
    tools,
    lastIsToolResult: last?.role === "tool",
    lastUserText: turns.findLast((t) => t.role === "user")?.text ?? "",
  };
}

type FunctionCallItem = { type: "function_call"; id: string; call_id: string; name: string; arguments: string; status: string };
type MessageItem = { type: "message"; id: string; role: "assistant"; status: string; content: [{ type: "output_text"; text: string; annotations: [] }] };

function outputItem(reply: Exclude<Reply, { kind: "fault" }>, seq: number): FunctionCallItem | MessageItem {
  if (reply.kind === "tool") {
    return { type: "function_call", id: `fc_mock_${seq}`, call_id: `call_mock_${seq}`, name: reply.call.name, arguments: JSON.stringify(reply.call.args), status: "completed" };
  }
  const text = reply.kind === "json" ? JSON.stringify(reply.value) : reply.text;
  return { type: "message", id: `msg_mock_${seq}`, role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] };
}

function render(reply: Exclude<Reply, { kind: "fault" }>, ctx: RenderContext): Response {
  const item = outputItem(reply, ctx.seq);
  const outText = item.type === "function_call" ? item.arguments : item.content[0].text;
  const usage = { input_tokens: 20, input_tokens_details: { cached_tokens: 0 }, output_tokens: approxTokens(outText), output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 20 + approxTokens(outText) };
  const base = { id: `resp_mock_${ctx.seq}`, object: "response", created_at: Math.floor(Date.now() / 1000), model: ctx.model };
  const completed = { ...base, status: "completed", output: [item], usage };
  if (!ctx.stream) return jsonResponse(completed);
  let n = 0;
  const ev = (type: string, fields: Record<string, unknown>) => sseEvent({ type, sequence_number: n++, ...fields }, type);
  const events = [ev("response.created", { response: { ...base, status: "in_progress", output: [] } })];
  if (item.type === "message") {
    const text = item.content[0].text;
    const ids = { item_id: item.id, output_index: 0, content_index: 0 };
    events.push(
      ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }),
      ev("response.content_part.added", { ...ids, part: { type: "output_text", text: "", annotations: [] } }),
      ev("response.output_text.delta", { ...ids, delta: text }),
      ev("response.output_text.done", { ...ids, text }),
      ev("response.content_part.done", { ...ids, part: item.content[0] }),
    );
  } else {
    events.push(
      ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", arguments: "" } }),
      ev("response.function_call_arguments.delta", { item_id: item.id, output_index: 0, delta: item.arguments }),
      ev("response.function_call_arguments.done", { item_id: item.id, output_index: 0, arguments: item.arguments }),
    );
  }
  events.push(ev("response.output_item.done", { output_index: 0, item }), ev("response.completed", { response: completed }));
  return sseResponse(events.join(""));
}

function created(ctx: RenderContext): string {
  const response = { id: `resp_mock_${ctx.seq}`, object: "response", created_at: Math.floor(Date.now() / 1000), model: ctx.model, status: "in_progress", output: [] };
  return sseEvent({ type: "response.created", sequence_number: 0, response }, "response.created");
}

function malformedBody(ctx: RenderContext, cut: boolean): string {
  const broken = `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_bad","output_index":0,"content_index":0,"delta":"trunc`;
  return created(ctx) + broken + (cut ? "" : "\n\n");
}

export const openaiResponses: WireAdapter = {
  protocol: "openai-responses",
  parse,
  render,
  errorResponse: openaiErrorResponse,
  malformedBody,
  stallPrelude: created,
};
