import type { FailurePattern } from "../../reliability/pattern.ts";
import { toolResultLine } from "../../reliability/patterns.ts";
import { resetsInSpan, retryAfterReset } from "../../reliability/reset-extractors.ts";

// gemini-cli (`gemini --output-format json`). The harness parser turns the final
// `{"type":"result","status":"error","error":{…}}` into an error event; stderr carries the
// "Error when talking to Gemini API … <ErrorClass>: <message>" line. gemini exits with the HTTP
// status mod 256 (400→144, 401→145, 403→147, 429→173, 500→244, 503→247), 1 otherwise (spec 07b).

const GEMINI_OUTPUT = ["error_event", "stderr", "stdout_text", "exit_code"] as const;

export const GEMINI_FAILURES: readonly FailurePattern[] = [
  {
    name: "gemini quota exhausted",
    category: "usage_limit",
    streams: GEMINI_OUTPUT,
    match: ["exhausted your daily quota", "terminalquotaerror", "resource_exhausted", "individual quota reached"],
    reset: resetsInSpan,
    hits: [
      "[API Error: You have exhausted your daily quota on this model.]\nPlease wait and try again later. To increase your limits, request a quota increase through AI Studio, or switch to another /auth method",
      "Error: RESOURCE_EXHAUSTED: Quota exceeded. Resets in 7d.",
      "Individual quota reached for this API key.",
      "HTTP 429: RESOURCE_EXHAUSTED: quota",
    ],
    misses: [{ stdoutTail: [toolResultLine("RESOURCE_EXHAUSTED")] }, "quota check passed"],
  },
  {
    name: "gemini auth or unsupported client",
    category: "auth_or_proxy",
    streams: GEMINI_OUTPUT,
    match: [
      "api key not valid",
      "api_key_invalid",
      "ineligibletiererror",
      "unsupported_client",
      "no longer supported for gemini code assist",
      "error authenticating",
      "invalid auth method",
      "unauthenticated",
    ],
    // 401 → 145, 403 → 147; 41 is gemini's own "Invalid auth method selected." (spec 07).
    exitCodes: [145, 147, 41],
    hits: [
      `[API Error: {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}]`,
      "Error authenticating: IneligibleTierError: … reasonCode: 'UNSUPPORTED_CLIENT'",
      { exitCode: 145 },
    ],
    misses: [{ exitCode: 144 }, { stdoutTail: [toolResultLine("API key not valid")] }],
  },
  {
    name: "gemini overloaded",
    category: "provider_overloaded",
    streams: GEMINI_OUTPUT,
    match: ["model is overloaded", "503 service unavailable"],
    exitCodes: [247],
    reset: retryAfterReset,
    hits: ["[API Error: The model is overloaded. Please try again later.]", { exitCode: 247 }],
    misses: [{ exitCode: 1, stderrTail: ["RetryableQuotaError: per-minute quota"] }],
  },
  {
    name: "gemini rate limit",
    category: "short_rate_limit",
    streams: GEMINI_OUTPUT,
    match: ["too many requests", "http 429", "status 429", "please wait and try again later"],
    exitCodes: [173],
    reset: retryAfterReset,
    hits: ["HTTP 429: Too Many Requests", "Please wait and try again later.", { exitCode: 173 }],
    misses: [{ stdoutTail: [toolResultLine("HTTP 429: Too Many Requests")] }],
  },
  {
    name: "gemini malformed stream",
    category: "transient_infra",
    streams: GEMINI_OUTPUT,
    match: ["unterminated string in json", "incomplete json segment"],
    hits: ["[API Error: Unterminated string in JSON at position 65]", "[API Error: Incomplete JSON segment at the end]"],
    misses: [{ stdoutTail: [toolResultLine("SyntaxError: Unterminated string in JSON at position 3")] }],
  },
  {
    name: "gemini server error",
    category: "transient_infra",
    streams: ["exit_code"],
    exitCodes: [244, 246, 248],
    hits: [{ exitCode: 244 }, { exitCode: 248 }],
    misses: [{ exitCode: 1 }],
  },
];
