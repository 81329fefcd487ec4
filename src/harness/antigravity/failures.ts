import type { FailurePattern } from "../../reliability/pattern.ts";
import { toolResultLine } from "../../reliability/patterns.ts";
import { resetsInSpan, retryAfterReset } from "../../reliability/reset-extractors.ts";

// Antigravity (`agy --print`). Its stdout is plain text; the harness appends the `--log-file`
// contents to stderrTail, and the gemini-cli underneath reports Google API errors there.

const AGY_OUTPUT = ["stderr", "stdout_text", "error_event"] as const;
const GOOGLE_AUTH_MARKERS = [
  "IneligibleTierError",
  "UNSUPPORTED_CLIENT",
  "no longer supported for Gemini Code Assist",
  "Error authenticating",
];

export const ANTIGRAVITY_FAILURES: readonly FailurePattern[] = [
  {
    name: "antigravity quota exhausted",
    category: "usage_limit",
    streams: AGY_OUTPUT,
    match: ["resource_exhausted", "individual quota reached", "exhausted your daily quota"],
    reset: resetsInSpan,
    hits: ["Error: RESOURCE_EXHAUSTED: Quota exceeded. Resets in 5h30m.", "Individual quota reached. Resets in 1.5d."],
    misses: [{ stdoutTail: [toolResultLine("RESOURCE_EXHAUSTED")] }, "quota ok"],
  },
  {
    name: "antigravity auth or unsupported client",
    category: "auth_or_proxy",
    streams: AGY_OUTPUT,
    match: GOOGLE_AUTH_MARKERS,
    hits: ["exit status 1\ngemini-cli\nError authenticating: IneligibleTierError"],
    misses: ["gemini-cli crashed\nexit status 1"],
  },
  {
    name: "antigravity rate limit",
    category: "short_rate_limit",
    streams: AGY_OUTPUT,
    match: ["http 429", "too many requests"],
    reset: retryAfterReset,
    hits: ["HTTP 429: Too Many Requests"],
    misses: ["HTTP 200 OK"],
  },
  {
    // gemini-cli under agy exiting 1 without an auth marker is usually a transient crash.
    name: "antigravity gemini-cli exit 1",
    category: "agent_error",
    strategy: "resume + retry",
    streams: AGY_OUTPUT,
    match: ["exit status 1"],
    alsoMatch: ["gemini-cli"],
    unless: GOOGLE_AUTH_MARKERS,
    hits: ["gemini-cli crashed\nexit status 1"],
    misses: ["exit status 1", "exit status 1\ngemini-cli\nError authenticating: IneligibleTierError"],
  },
];
