// Error bodies shared by the two OpenAI wire formats (Responses and Chat Completions).

import { jsonResponse, retryHeaders } from "./sse.ts";
import type { FaultOptions } from "./types.ts";

export function openaiErrorResponse(fault: "rateLimit429" | "usageLimit" | "auth401" | "overloaded", o: FaultOptions): Response {
  const retry = retryHeaders(o);
  switch (fault) {
    case "rateLimit429":
      return jsonResponse(
        { error: { message: o.message ?? "Rate limit reached for requests. Please try again in 1s.", type: "rate_limit_error", code: "rate_limit_exceeded" } },
        429,
        retry,
      );
    case "usageLimit": {
      const resetsIn = o.resetsInSeconds ?? 3600;
      return jsonResponse(
        {
          error: {
            type: "usage_limit_reached",
            message: o.message ?? "You've hit your usage limit. Upgrade to Pro or try again later.",
            plan_type: "plus",
            resets_in_seconds: resetsIn,
            resets_at: Math.floor(Date.now() / 1000) + resetsIn,
          },
        },
        429,
        retry,
      );
    }
    case "auth401":
      return jsonResponse({ error: { message: o.message ?? "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } }, 401, retry);
    case "overloaded":
      return jsonResponse({ error: { message: o.message ?? "The server is overloaded or not ready yet.", type: "server_error", code: null } }, 503, retry);
  }
}
