// Shared shapes of the scripted model server: one wire-neutral view of a request
// (Conversation), one wire-neutral answer (Reply), and the per-wire adapter contract.

/** One message of the conversation, reduced to what a scenario needs. */
export interface Turn {
  role: "user" | "assistant" | "tool";
  /** Concatenated text parts; tool results carry their output text here. */
  text: string;
}

/** What a scenario sees of a model request, whatever the wire format. */
export interface Conversation {
  protocol: Protocol;
  model: string;
  /** Every user/assistant/tool message in request order (system/developer prompts left out). */
  turns: Turn[];
  /** Names of the function tools the request offers, in request order. */
  tools: string[];
  /** True when the last message of the request is a tool result. */
  lastIsToolResult: boolean;
  /** Text of the last message whose role is user (not a tool result); "" if none. */
  lastUserText: string;
  /** The request asks for a JSON object shaped by this schema (gemini side calls). */
  jsonSchema?: unknown;
}

export type Protocol = "anthropic" | "openai-responses" | "openai-chat" | "gemini";

export interface ToolCall {
  name: string;
  args: Record<string, unknown>;
}

export type FaultKind =
  | "rateLimit429"
  | "usageLimit"
  | "auth401"
  | "overloaded"
  | "hang"
  | "stallAfterHeaders"
  | "malformed";

export interface FaultOptions {
  /** Adds `retry-after: <s>`. */
  retryAfterSeconds?: number;
  /** Adds `retry-after-ms: <ms>` (opencode and the OpenAI/Anthropic SDKs honour it). */
  retryAfterMs?: number;
  /** Seconds until the usage limit resets (headers and body fields). Default 3600. */
  resetsInSeconds?: number;
  /** malformed: end the stream inside the garbled event, without its blank line. */
  cut?: boolean;
  /** Override the provider message text. */
  message?: string;
}

export type Reply =
  | { kind: "text"; text: string }
  | { kind: "tool"; call: ToolCall }
  | { kind: "json"; value: unknown }
  | { kind: "fault"; fault: FaultKind; options: FaultOptions };

/** A scenario maps the request to the reply. It must not depend on request order. */
export interface Scenario {
  name: string;
  reply(conversation: Conversation): Reply;
}

/** Everything one wire format contributes. */
export interface WireAdapter {
  protocol: Protocol;
  /** Reduce a parsed request body to a Conversation. */
  parse(body: any, model: string): Conversation;
  /** Build the successful response (SSE when `stream`). */
  render(reply: Exclude<Reply, { kind: "fault" }>, ctx: RenderContext): Response;
  /** HTTP error response for a status fault (429/401/529/503...). */
  errorResponse(fault: "rateLimit429" | "usageLimit" | "auth401" | "overloaded", options: FaultOptions): Response;
  /** SSE text that starts well and then breaks. `cut` drops the final blank line. */
  malformedBody(ctx: RenderContext, cut: boolean): string;
  /** The first SSE event(s) sent before a stall, or "" for headers only. */
  stallPrelude(ctx: RenderContext): string;
}

export interface RenderContext {
  model: string;
  stream: boolean;
  /** Monotonic counter of the server, used to make ids unique. */
  seq: number;
}
