import type { FailurePattern } from "../../reliability/pattern.ts";
import { toolResultLine } from "../../reliability/patterns.ts";
import { opencodeReset, retryAfterReset } from "../../reliability/reset-extractors.ts";

// opencode (`opencode run --format json`). The harness parser turns the first
// `{"type":"error","error":{"name":…,"data":{"message":…,"statusCode":…}}}` into an error event
// (code = error.name, status = data.statusCode). Server-log `stream error` lines for the try's
// session (spec 04 §2.6) come in as events with source "server_log": opencode retries a
// subscription limit silently, so that log is the only place the limit shows up.

const OPENCODE_OUTPUT = ["error_event", "stderr", "stdout_text"] as const;

export const OPENCODE_FAILURES: readonly FailurePattern[] = [
  {
    name: "opencode usage limit",
    category: "usage_limit",
    streams: OPENCODE_OUTPUT,
    match: ["usagelimit", "usage limit", "quotaexceeded", "quota exceeded", "resource_exhausted", "resourceexhausted"],
    reset: opencodeReset,
    hits: [
      { errorEvents: [{ code: "UsageLimitError", message: "Usage limit reached. Resets in 24h." }] },
      {
        errorEvents: [
          {
            code: "UnknownError",
            message: "AI_RetryError: Failed after 3 attempts. Last error: Monthly usage limit reached. Resets in 4 days.",
          },
        ],
      },
      {
        errorEvents: [
          {
            source: "server_log",
            message:
              'timestamp=2026-06-16T13:29:51Z level=ERROR message="stream error" providerID=zai-coding-plan agent=build error.error="AI_RetryError: Usage limit reached for 5 hour. Your limit will reset at 2026-06-16 18:29:51"',
          },
        ],
      },
      { errorEvents: [{ code: "APIError", message: "You've hit your usage limit. Upgrade to Pro or try again later.", status: 429 }] },
    ],
    misses: [{ stdoutTail: [JSON.stringify({ type: "text", part: { type: "text", text: "usage limit reached" } })] }],
  },
  {
    name: "opencode rate limit",
    category: "short_rate_limit",
    streams: OPENCODE_OUTPUT,
    match: ["ratelimiterror", "rate limit", "toomanyrequests", "too many requests"],
    statuses: [429],
    reset: retryAfterReset,
    hits: [
      { errorEvents: [{ code: "RateLimitError", message: "Rate limit exceeded. Retry after 120 seconds." }] },
      { errorEvents: [{ code: "APIError", message: "slow down", status: 429 }] },
    ],
    misses: [
      { stderrTail: ["error: Cannot find module '@upstash/ratelimit'"] },
      { stdoutTail: [toolResultLine("Error: rate limit exceeded")] },
    ],
  },
  {
    name: "opencode auth",
    category: "auth_or_proxy",
    streams: OPENCODE_OUTPUT,
    match: ["authenticationerror", "permissiondenied", "unauthorized", "forbidden", "invalid api key", "incorrect api key"],
    statuses: [401, 403],
    hits: [
      { errorEvents: [{ code: "APIError", message: "Incorrect API key provided", status: 401 }] },
      { errorEvents: [{ code: "AuthenticationError", message: "bad key" }] },
      { errorEvents: [{ code: "PermissionDeniedError", message: "no access" }] },
    ],
    misses: [{ errorEvents: [{ code: "APIError", message: "Bad request", status: 400 }] }],
  },
  {
    name: "opencode invalid model",
    category: "invalid_model",
    streams: OPENCODE_OUTPUT,
    match: ["model not found", "model does not exist", "modelnotfound"],
    hits: [{ errorEvents: [{ code: "NotFoundError", message: "model not found: gpt-foo does not exist" }] }],
    misses: [{ errorEvents: [{ code: "NotFoundError", message: "file not found: notes.md" }] }],
  },
  {
    name: "opencode overloaded",
    category: "provider_overloaded",
    streams: OPENCODE_OUTPUT,
    match: ["overloaded", "service unavailable"],
    statuses: [503, 529],
    reset: retryAfterReset,
    hits: [
      { errorEvents: [{ code: "OverloadedError", message: "busy" }] },
      { errorEvents: [{ code: "ServerError", message: "503 Service Unavailable" }] },
      { errorEvents: [{ code: "APIError", message: "The server is overloaded or not ready yet.", status: 503 }] },
    ],
    misses: [{ errorEvents: [{ code: "UnknownError", message: "Unexpected server error. Check server logs for details." }] }],
  },
  {
    name: "opencode malformed stream",
    category: "transient_infra",
    streams: OPENCODE_OUTPUT,
    match: ["json parsing failed"],
    hits: [
      {
        errorEvents: [
          {
            code: "UnknownError",
            message:
              'JSON parsing failed: Text: {"id":"chatcmpl_bad","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"trunc.\nError message: JSON Parse error: Unterminated string',
          },
        ],
      },
    ],
    misses: [{ stdoutTail: [toolResultLine("JSON parsing failed in config loader")] }],
  },
  {
    name: "opencode API bad request",
    category: "agent_error",
    strategy: "rotate",
    streams: OPENCODE_OUTPUT,
    match: ["api bad request"],
    hits: ["API bad request: tool schema"],
    misses: ["bad request handler added"],
  },
];
