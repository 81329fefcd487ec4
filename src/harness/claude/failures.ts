import type { FailurePattern, ResetContext, ResetExtractor } from "../../reliability/pattern.ts";
import { toolResultLine } from "../../reliability/patterns.ts";
import { retryAfterReset } from "../../reliability/reset-extractors.ts";
import {
  parseClockReset,
  parseDatedClockReset,
  parseSpanReset,
  type ResetHint,
  resetFromEpochSeconds,
} from "../../reliability/reset-time.ts";

// Claude Code (`claude -p --output-format stream-json`). The harness parser turns the final
// `result` with is_error (text + api_error_status), the synthetic assistant `error` kind and a
// `rate_limit_event` whose status is "rejected" (code "rate_limit_event", message "rejected
// <rateLimitType>", resetsAt) into error events. Order follows claude's own precedence:
// model → auth → overload → limits (spec 04 §2.6), so "model_not_found: rate limit…" is a model.

const HOUR_MS = 3_600_000;

function namedWindow(lines: readonly string[]): ResetHint | undefined {
  const text = lines.join("\n").toLowerCase();
  if (/seven.?\s*day/.test(text)) return { afterMs: 168 * HOUR_MS, wording: "seven-day window" };
  if (/five.?\s*hour/.test(text)) return { afterMs: 5 * HOUR_MS, wording: "five-hour window" };
  return undefined;
}

/** resetsAt epoch → "resets Nov 28, 7pm (…)" / "resets 7pm (Europe/Istanbul)" / "resets at 14:30" → "resets in 3h 24m" → named window. */
export const claudeReset: ResetExtractor = (ctx: ResetContext) => {
  const epoch = ctx.events.find((e) => e.resetsAt !== undefined)?.resetsAt;
  if (epoch !== undefined) return resetFromEpochSeconds(epoch);
  for (const line of ctx.lines) {
    const hint =
      parseDatedClockReset(line, ctx.now, ctx.timeZone) ?? parseClockReset(line, ctx.now, ctx.timeZone) ?? parseSpanReset(line);
    if (hint) return hint;
  }
  return namedWindow(ctx.lines);
};

const CLAUDE_OUTPUT = ["error_event", "stderr", "stdout_text"] as const;

export const CLAUDE_FAILURES: readonly FailurePattern[] = [
  {
    name: "claude invalid model",
    category: "invalid_model",
    streams: CLAUDE_OUTPUT,
    match: ["model_not_found", "model not found", "issue with the selected model"],
    statuses: [404],
    hits: [
      "model_not_found: rate limit was not the issue",
      "There's an issue with the selected model (claude-foo). It may not exist or you may not have access to it.",
      { errorEvents: [{ source: "result", message: "API Error: 404 not_found_error", status: 404 }] },
    ],
    misses: [{ stdoutTail: [toolResultLine("model not found in registry.json")] }],
  },
  {
    name: "claude auth",
    category: "auth_or_proxy",
    streams: CLAUDE_OUTPUT,
    match: ["authentication_failed", "authentication_error", "invalid api key", "oauth token has expired", "please run /login"],
    statuses: [401, 403],
    hits: [
      "authentication_failed: rate limit endpoint unreachable",
      {
        errorEvents: [
          { source: "error_event", code: "authentication_failed", message: "Invalid API key · Fix external API key" },
          { source: "result", message: "Invalid API key · Fix external API key", status: 401 },
        ],
      },
    ],
    misses: [{ stdoutTail: [toolResultLine("throw new Error('invalid api key')")] }, "authenticated as dev@example.com"],
  },
  {
    name: "claude overloaded",
    category: "provider_overloaded",
    streams: CLAUDE_OUTPUT,
    match: ["overloaded", "http 529", "error 529"],
    statuses: [529],
    reset: retryAfterReset,
    hits: [
      "HTTP 529: Overloaded",
      "Received HTTP 529 from upstream",
      {
        errorEvents: [
          {
            source: "result",
            code: "server_error",
            message:
              "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (127.0.0.1:37623).",
            status: 529,
          },
        ],
      },
    ],
    misses: ["input tokens: 15291", { stdoutTail: [toolResultLine("the queue is overloaded")] }],
  },
  {
    // OAuth 429 without unified headers: claude itself says it is not the usage limit (spec 07b).
    name: "claude server limiting",
    category: "short_rate_limit",
    streams: CLAUDE_OUTPUT,
    match: ["temporarily limiting requests"],
    reset: retryAfterReset,
    hits: [
      "API Error: Server is temporarily limiting requests (not your usage limit) · You've hit your limit · resets 7pm (Europe/Istanbul)",
    ],
    misses: ["You've hit your limit · resets 7pm (Europe/Istanbul)"],
  },
  {
    name: "claude usage limit",
    category: "usage_limit",
    streams: CLAUDE_OUTPUT,
    match: [
      "hit your limit",
      "hit your session limit",
      "hit your weekly limit",
      "hit your usage limit",
      "hit your org",
      "spend limit",
      "usage limit",
      "usage cap",
      "usage allocation has been disabled",
      "five-hour",
      "five hour",
      "seven-day",
      "seven day",
      "rate_limit_event",
    ],
    reset: claudeReset,
    hits: [
      "API Error: Request rejected (429) · You've hit your limit · resets 7pm (Europe/Istanbul)",
      "You've hit your session limit · resets 3:44am (UTC)",
      "You've hit your weekly limit · resets Nov 28, 7pm (Europe/Istanbul)",
      "This request would exceed the five-hour rate limit for your organization.",
      "Five-hour limit reached · resets in 3h 24m",
      "rate_limit: usage cap hit, resets in 2h 5m",
      "error: rate limit: five hour cap exceeded",
      { errorEvents: [{ source: "rate_limit_event", code: "rate_limit_event", message: "rejected five_hour", resetsAt: 1795578260 }] },
    ],
    misses: [
      "5h cache warm-up finished",
      { stdoutTail: [toolResultLine("You've hit your limit · resets 7pm (Europe/Istanbul)")] },
    ],
  },
  {
    // Claude's own parser: a parsed reset plus the word "limit" is a quota, whatever the window.
    name: "claude limit with reset",
    category: "usage_limit",
    streams: CLAUDE_OUTPUT,
    match: ["limit"],
    alsoMatch: ["resets"],
    reset: claudeReset,
    hits: ["5-hour limit reached · resets 4pm", "limit reached · resets at 2:30 PM"],
    misses: ["limit reached", "cache resets every hour"],
  },
  {
    name: "claude rate limit",
    category: "short_rate_limit",
    streams: CLAUDE_OUTPUT,
    match: ["rate_limit", "rate-limit", "rate limit", "too many requests", "request rejected (429)"],
    statuses: [429],
    reset: retryAfterReset,
    hits: [
      "rate-limit exceeded",
      "error: rate_limit_error: too many requests",
      { stderrTail: ["error 429 Too Many Requests", "retry-after: 120"] },
      "API Error: Request rejected (429) · MOCK: This request would exceed your account's rate limit",
    ],
    misses: [`Cannot find package '@upstash/ratelimit'`, { stdoutTail: [toolResultLine("rate-limit exceeded")] }],
  },
  {
    // Malformed SSE: claude falls back to a non-streaming request, then gives up (spec 07b).
    name: "claude malformed response",
    category: "transient_infra",
    streams: CLAUDE_OUTPUT,
    match: ["empty or malformed response", "could not parse message into json"],
    hits: [
      "API Error: API returned an empty or malformed response (HTTP 200) — check for a proxy or gateway intercepting the request",
      `Could not parse message into JSON: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"trunc`,
    ],
    misses: ["parsed 3 messages"],
  },
];
