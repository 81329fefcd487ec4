// Gemini API: POST /v1beta/models/{model}:streamGenerateContent?alt=sse and :generateContent.
// Used by gemini-cli.

import { approxTokens, jsonResponse, retryHeaders, sseEvent, sseResponse } from "./sse.ts";
import type { Conversation, FaultOptions, RenderContext, Reply, Turn, WireAdapter } from "./types.ts";

function parse(body: any, model: string): Conversation {
  const turns: Turn[] = [];
  for (const c of Array.isArray(body?.contents) ? body.contents : []) {
    const parts: any[] = Array.isArray(c?.parts) ? c.parts : [];
    const text = parts
      .map((p) => (typeof p?.text === "string" ? p.text : p?.functionResponse ? JSON.stringify(p.functionResponse.response ?? {}) : ""))
      .filter(Boolean)
      .join("\n");
    if (c?.role === "model") turns.push({ role: "assistant", text });
    else if (parts.some((p) => p?.functionResponse)) turns.push({ role: "tool", text });
    else turns.push({ role: "user", text });
  }
  const tools: string[] = [];
  for (const t of Array.isArray(body?.tools) ? body.tools : []) {
    for (const d of Array.isArray(t?.functionDeclarations) ? t.functionDeclarations : []) {
      if (typeof d?.name === "string") tools.push(d.name);
    }
  }
  const cfg = body?.generationConfig ?? {};
  return {
    protocol: "gemini",
    model,
    turns,
    tools,
    lastIsToolResult: turns.at(-1)?.role === "tool",
    lastUserText: turns.findLast((t) => t.role === "user")?.text ?? "",
    jsonSchema: cfg.responseJsonSchema ?? cfg.responseSchema,
  };
}

function candidate(reply: Exclude<Reply, { kind: "fault" }>, ctx: RenderContext) {
  const part =
    reply.kind === "tool"
      ? { functionCall: { id: `fc_mock_${ctx.seq}`, name: reply.call.name, args: reply.call.args } }
      : { text: reply.kind === "json" ? JSON.stringify(reply.value) : reply.text };
  const outText = "text" in part ? (part.text ?? "") : JSON.stringify(part.functionCall.args);
  const out = approxTokens(outText);
  return {
    candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: out, totalTokenCount: 20 + out },
    modelVersion: ctx.model,
    responseId: `resp_mock_${ctx.seq}`,
  };
}

function render(reply: Exclude<Reply, { kind: "fault" }>, ctx: RenderContext): Response {
  const body = candidate(reply, ctx);
  if (!ctx.stream) return jsonResponse(body);
  return sseResponse(sseEvent(body).replaceAll("\n", "\r\n"));
}

function googleError(code: number, status: string, message: string, details?: unknown[]) {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

function errorResponse(fault: "rateLimit429" | "usageLimit" | "auth401" | "overloaded", o: FaultOptions): Response {
  const retry = retryHeaders(o);
  switch (fault) {
    case "rateLimit429":
      return jsonResponse(googleError(429, "RESOURCE_EXHAUSTED", o.message ?? "Resource has been exhausted (e.g. check quota)."), 429, retry);
    case "usageLimit": {
      const message =
        o.message ??
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 50, model: gemini-2.5-pro\nPlease retry in 41.5s.";
      const details = [
        {
          "@type": "type.googleapis.com/google.rpc.QuotaFailure",
          violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests", quotaId: "GenerateRequestsPerDayPerProjectPerModel-FreeTier", quotaDimensions: { location: "global", model: "gemini-2.5-pro" }, quotaValue: "50" }],
        },
        { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" }] },
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "41s" },
      ];
      return jsonResponse(googleError(429, "RESOURCE_EXHAUSTED", message, details), 429, retry);
    }
    case "auth401":
      // The real Gemini API answers a bad key with 400 INVALID_ARGUMENT / API_KEY_INVALID.
      return jsonResponse(
        googleError(400, "INVALID_ARGUMENT", o.message ?? "API key not valid. Please pass a valid API key.", [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
        ]),
        400,
        retry,
      );
    case "overloaded":
      return jsonResponse(googleError(503, "UNAVAILABLE", o.message ?? "The model is overloaded. Please try again later."), 503, retry);
  }
}

function malformedBody(ctx: RenderContext, cut: boolean): string {
  const first = sseEvent({ candidates: [{ content: { role: "model", parts: [{ text: "" }] }, index: 0 }], modelVersion: ctx.model }).replaceAll("\n", "\r\n");
  const broken = `data: {"candidates":[{"content":{"role":"model","parts":[{"text":"trunc`;
  return first + broken + (cut ? "" : "\r\n\r\n");
}

export const gemini: WireAdapter = {
  protocol: "gemini",
  parse,
  render,
  errorResponse,
  malformedBody,
  stallPrelude: () => "",
};
