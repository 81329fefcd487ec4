// Small helpers to write server-sent events and JSON responses.

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
} as const;

/** One SSE event. With `event` it adds an `event:` line (Anthropic, Responses). */
export function sseEvent(data: unknown, event?: string): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ""}data: ${payload}\n\n`;
}

export function sseResponse(body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers } });
}

export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Headers that tell a client when to retry, from fault options. */
export function retryHeaders(options: { retryAfterSeconds?: number; retryAfterMs?: number }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.retryAfterSeconds !== undefined) headers["retry-after"] = String(options.retryAfterSeconds);
  if (options.retryAfterMs !== undefined) headers["retry-after-ms"] = String(options.retryAfterMs);
  return headers;
}

/**
 * 200 + SSE headers, then `prelude`, then silence until the client goes away.
 * Bun holds the status line back until the first body byte, so an empty prelude becomes an
 * SSE comment line (ignored by every SSE parser) to get the headers out.
 */
export function stallResponse(prelude: string, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(prelude || ": stall\n\n"));
      const close = () => {
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      if (signal.aborted) close();
      else signal.addEventListener("abort", close, { once: true });
    },
  });
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}

/** Roughly a token count: 1 token per 4 characters, at least 1. */
export function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The text of a message content that is either a string or a list of `{text}` parts. */
export function textOfParts(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p: any) => (typeof p?.text === "string" ? p.text : ""))
    .filter(Boolean)
    .join("\n");
}
