import { describe, expect, test } from "bun:test";
import { classifyTry } from "./classify.ts";
import type { TryEvidenceInput } from "./evidence.ts";

// Verbatim fault output of the real CLIs against the scripted provider (spec 07b), as the
// harness parsers hand it over: error events lifted from the JSON stream, raw stdout lines
// (JSON lines, which the classifier must ignore) and stderr.

const NOW = Date.parse("2026-11-25T02:43:00Z");

const CLAUDE_USAGE_TEXT = "API Error: Request rejected (429) · You've hit your limit · resets 7pm (Europe/Istanbul)";
const CLAUDE_NOHDR_TEXT =
  "API Error: Server is temporarily limiting requests (not your usage limit) · You've hit your limit · resets 7pm (Europe/Istanbul)";
const CLAUDE_MALFORMED_TEXT =
  "API Error: API returned an empty or malformed response (HTTP 200) — check for a proxy or gateway intercepting the request";
const CODEX_401 = "unexpected status 401 Unauthorized: Incorrect API key provided, url: http://127.0.0.1:34803/v1/responses";
const CODEX_503 =
  "unexpected status 503 Service Unavailable: The server is overloaded or not ready yet., url: http://127.0.0.1:34443/v1/responses";
const CODEX_USAGE =
  "You’ve hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/usage to purchase more credits or try again later.";
const CODEX_USAGE_AT = CODEX_USAGE.replace("try again later.", "try again at 3:43 AM.");
const CODEX_STREAM = "stream disconnected before completion: stream closed before response.completed";

function claudeResult(text: string, status: number | null): string {
  return JSON.stringify({ type: "result", subtype: "success", is_error: true, api_error_status: status, result: text });
}

function codex(message: string): TryEvidenceInput {
  return {
    harness: "codex",
    exitCode: 1,
    errorEvents: [{ message: `Reconnecting... 5/5 (${message})` }, { message }, { source: "result", message }],
    stdoutTail: [JSON.stringify({ type: "turn.failed", error: { message } })],
    stderrTail: ["Reading additional input from stdin..."],
  };
}

function gemini(exitCode: number, message: string, stderr: string[]): TryEvidenceInput {
  return { harness: "gemini", exitCode, errorEvents: [{ source: "result", code: "unknown", message }], stderrTail: stderr };
}

function opencode(name: string, message: string, status?: number): TryEvidenceInput {
  return { harness: "opencode", exitCode: 1, errorEvents: [{ code: name, message, status }] };
}

const CASES: Array<[string, TryEvidenceInput, string, Record<string, unknown>?]> = [
  ["claude-auth", {
    harness: "claude",
    exitCode: 1,
    errorEvents: [
      { code: "authentication_failed", message: "Invalid API key · Fix external API key" },
      { source: "result", message: "Invalid API key · Fix external API key", status: 401 },
    ],
    stdoutTail: [claudeResult("Invalid API key · Fix external API key", 401)],
  }, "auth_or_proxy"],
  ["claude-overloaded", {
    harness: "claude",
    exitCode: 1,
    errorEvents: [{ source: "result", code: "server_error", status: 529, message: "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (127.0.0.1:37623)." }],
  }, "provider_overloaded", { retryAfterMs: undefined }],
  ["claude-usage (API key)", {
    harness: "claude",
    exitCode: 1,
    errorEvents: [{ code: "rate_limit", message: CLAUDE_USAGE_TEXT }, { source: "result", message: CLAUDE_USAGE_TEXT, status: 429 }],
    stdoutTail: [claudeResult(CLAUDE_USAGE_TEXT, 429)],
  }, "usage_limit", { resetAt: Date.parse("2026-11-25T16:00:00Z") }],
  ["claude-usage-oauth (rate_limit_event resetsAt)", {
    harness: "claude",
    exitCode: 1,
    errorEvents: [
      { source: "rate_limit_event", code: "rate_limit_event", message: "rejected five_hour", resetsAt: 1795578260 },
      { source: "result", message: "You've hit your session limit · resets 3:44am (UTC)", status: 429 },
    ],
  }, "usage_limit", { resetAt: 1795578260_000 }],
  ["claude-usage-oauth-nohdr (not your usage limit)", {
    harness: "claude",
    exitCode: 1,
    errorEvents: [
      { source: "rate_limit_event", code: "rate_limit_event", message: "rejected" },
      { source: "result", message: CLAUDE_NOHDR_TEXT, status: 429 },
    ],
  }, "short_rate_limit"],
  ["claude-malformed", {
    harness: "claude",
    exitCode: 1,
    errorEvents: [{ code: "unknown", message: CLAUDE_MALFORMED_TEXT }, { source: "result", message: CLAUDE_MALFORMED_TEXT }],
    stderrTail: [`Could not parse message into JSON: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"trunc`],
  }, "transient_infra"],
  ["codex-auth", codex(CODEX_401), "auth_or_proxy"],
  ["codex-overloaded", codex(CODEX_503), "provider_overloaded"],
  ["codex-usage", codex(CODEX_USAGE), "usage_limit", { resetAt: undefined }],
  ["codex-usage-resetsat", codex(CODEX_USAGE_AT), "usage_limit", { resetAt: Date.parse("2026-11-25T03:43:00Z") }],
  ["codex-malformed", codex(CODEX_STREAM), "transient_infra"],
  ["codex 429 after retries (07)", codex("exceeded retry limit, last status: 429 Too Many Requests"), "short_rate_limit"],
  ["codex-wire-chat", {
    harness: "codex",
    exitCode: 1,
    stderrTail: [
      'Error loading config.toml: `wire_api = "chat"` is no longer supported.',
      'How to fix: set `wire_api = "responses"` in your provider config.',
      "More info: https://github.com/openai/codex/discussions/7782",
      "in `model_providers.mock.wire_api`",
    ],
  }, "harness_launch"],
  ["gemini-auth (400, rc 144)", gemini(144, `[API Error: {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}]`, [
    `Error when talking to Gemini API Full report available at: $TEST_HOME-gemini-auth/tmp/gemini-client-error.json _ApiError: {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}`,
    "  status: 400",
  ]), "auth_or_proxy"],
  ["gemini-auth401 (rc 145)", gemini(145, `[API Error: {"error":{"code":401,"message":"API key not valid. Please pass a valid API key.","status":"UNAUTHENTICATED"}}]`, []), "auth_or_proxy"],
  ["gemini-overloaded (rc 247)", gemini(247, "[API Error: The model is overloaded. Please try again later.]", [
    `Attempt 1 failed with status 503. Retrying with backoff... _ApiError: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}`,
    "Attempt 2 failed: The model is overloaded. Please try again later.. Max attempts reached",
    "Error when talking to Gemini API Full report available at: x.json RetryableQuotaError: The model is overloaded. Please try again later.",
  ]), "provider_overloaded"],
  ["gemini-usage (rc 173, daily quota)", gemini(173, "[API Error: You have exhausted your daily quota on this model.]\nPlease wait and try again later. To increase your limits, request a quota increase through AI Studio, or switch to another /auth method", [
    "Error when talking to Gemini API Full report available at: x.json TerminalQuotaError: You have exhausted your daily quota on this model.",
    "    message: 'You exceeded your current quota, please check your plan and billing details.\\n' +",
    "      'Please retry in 41.5s.',",
  ]), "usage_limit", { resetAt: undefined, retryAfterMs: undefined }],
  ["gemini 429 without daily quota (07)", gemini(173, "[API Error: Too many requests]\nPlease wait and try again later.", []), "short_rate_limit"],
  ["gemini 173 with no text at all", { harness: "gemini", exitCode: 173 }, "short_rate_limit"],
  ["gemini-malformed", gemini(1, "[API Error: Unterminated string in JSON at position 65]", []), "transient_infra"],
  ["gemini-malformed-cut", gemini(1, "[API Error: Incomplete JSON segment at the end]", []), "transient_infra"],
  ["opencode-auth", opencode("APIError", "Incorrect API key provided", 401), "auth_or_proxy"],
  ["opencode-overloaded", opencode("APIError", "The server is overloaded or not ready yet.", 503), "provider_overloaded"],
  ["opencode-usage", opencode("APIError", "You've hit your usage limit. Upgrade to Pro or try again later.", 429), "usage_limit"],
  ["opencode-usage-retryafter (silent, killed)", { harness: "opencode", exitCode: 124, timedOut: "try", stdoutTail: [] }, "timeout"],
  ["opencode-malformed", opencode("UnknownError", 'JSON parsing failed: Text: {"id":"chatcmpl_bad","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"trunc.\nError message: JSON Parse error: Unterminated string'), "transient_infra"],
  ["opencode-malformed-cut (endless steps, stall kill)", {
    harness: "opencode",
    exitCode: null,
    stalled: true,
    stdoutTail: [JSON.stringify({ type: "step_finish", part: { reason: "unknown" } })],
  }, "stalled"],
];

describe("spec 07b verbatim CLI faults", () => {
  for (const [name, evidence, category, extra] of CASES) {
    test(name, () => {
      const c = classifyTry(evidence, NOW);
      const picked = Object.fromEntries(Object.keys(extra ?? {}).map((k) => [k, c[k as keyof typeof c]]));
      expect({ category: c.category as string, ...picked }).toEqual({ category, ...(extra ?? {}) });
    });
  }
});
