import { describe, expect, test } from "bun:test";
import { classifyTry, formatFailReason, type TryClassification } from "./classify.ts";
import type { TryEvidenceInput } from "./evidence.ts";
import { benchUntil } from "./reset-time.ts";
import { cooldownFor } from "./strategy.ts";

// Spec 04 §14.1 (log tail → decision) and §14.2 (evidence parsers), as rally's evidence shape.
// Rows marked DIVERGES are deliberate changes from 0.10; the note says why.

const NOW = Date.parse("2026-11-25T10:00:00Z");
const H = 3_600_000;
const M = 60_000;

interface Expected {
  category: string;
  strategy?: string;
  class?: string;
  cooldownMs?: number;
  /** resetAt − NOW; null asserts there is no reset (bench falls back to 5 h). */
  resetInMs?: number | null;
}

function observed(c: TryClassification, want: Expected): Expected {
  const got: Expected = { category: c.category };
  if (want.strategy !== undefined) got.strategy = c.strategy;
  if (want.class !== undefined) got.class = c.class;
  if (want.cooldownMs !== undefined) got.cooldownMs = cooldownFor(c);
  if (want.resetInMs !== undefined) got.resetInMs = c.resetAt === undefined ? null : c.resetAt - NOW;
  return got;
}

const tail = (harness: string, ...lines: string[]): TryEvidenceInput => ({ harness, exitCode: 1, stderrTail: lines });
const event = (harness: string, message: string, extra: Record<string, unknown> = {}): TryEvidenceInput => ({
  harness,
  exitCode: 1,
  errorEvents: [{ message, ...extra }],
});

const LOG_TAIL_CASES: Array<[string, TryEvidenceInput, Expected]> = [
  ["1 claude 429 + retry-after", tail("claude", "error 429 Too Many Requests", "retry-after: 120"), { category: "short_rate_limit", strategy: "wait + resume", class: "infra", cooldownMs: 120_000 }],
  ["2 claude rate-limit", tail("claude", "rate-limit exceeded"), { category: "short_rate_limit", strategy: "wait + resume", class: "infra", cooldownMs: 60_000 }],
  ["3 codex hyphenated prose", tail("codex", "The upstream provider returned a rate-limit warning; retries may succeed later", "codex exited with code 1"), { category: "agent_error", strategy: "fresh restart", class: "agent" }],
  ["4 custom rate limit", tail("mycode", "error: rate limit reached for this API key"), { category: "short_rate_limit", strategy: "wait + resume", class: "infra", cooldownMs: 60_000 }],
  ["5 any 429", tail("mycode", "HTTP 429: Too Many Requests - please slow down"), { category: "short_rate_limit", cooldownMs: 60_000 }],
  ["6 usage limit is agent class and terminal", tail("mycode", "You've hit your usage limit. Upgrade to Pro."), { category: "usage_limit", strategy: "wait + resume", class: "agent", cooldownMs: 0, resetInMs: null }],
  // DIVERGES: 0.10 said short_rate_limit by row order; spec 07b §3 checks the quota first.
  ["7 usage before rate limit", tail("mycode", "usage limit reached; rate limit applies"), { category: "usage_limit" }],
  ["8 argument list too long", tail("mycode", "error: argument list too long when spawning process"), { category: "harness_launch", strategy: "fresh restart", class: "infra" }],
  ["9 fork/exec", tail("mycode", "fork/exec /usr/local/bin/agent: permission denied"), { category: "harness_launch", strategy: "fresh restart", class: "infra" }],
  // DIVERGES: its own category binary_missing (still infra, still rotate).
  ["10 executable not found", tail("mycode", `exec: "claude": executable file not found in $PATH`), { category: "binary_missing", strategy: "rotate", class: "infra" }],
  ["11 cross-line AND", tail("mycode", "exec: foo", "file not found"), { category: "binary_missing", strategy: "rotate" }],
  ["12 request timed out", tail("mycode", "API call failed: request timed out after 30s"), { category: "transient_infra", strategy: "resume + retry", class: "infra", cooldownMs: 0 }],
  ["13 deadline exceeded", tail("mycode", "grpc: deadline exceeded waiting for response"), { category: "transient_infra" }],
  ["14 connection reset", tail("mycode", "read tcp: connection reset by peer"), { category: "transient_infra" }],
  ["15 no route to host", tail("mycode", "dial tcp: no route to host"), { category: "transient_infra" }],
  ["16 TLS handshake", tail("mycode", "net/http: TLS handshake timeout"), { category: "transient_infra" }],
  ["17 503 is transient for a custom harness", tail("mycode", "HTTP/1.1 503 Service Unavailable"), { category: "transient_infra" }],
  ["18 stall detected text", tail("mycode", "stall detected"), { category: "transient_infra" }],
  ["19 opencode API bad request", tail("opencode", "API bad request: tool schema"), { category: "agent_error", strategy: "rotate", class: "agent" }],
  ["20 API bad request is opencode-only", tail("claude", "API bad request"), { category: "agent_error", strategy: "fresh restart" }],
  ["21 antigravity gemini-cli exit 1", tail("antigravity", "gemini-cli crashed", "exit status 1"), { category: "agent_error", strategy: "resume + retry" }],
  ["22 antigravity auth marker wins", tail("antigravity", "exit status 1", "gemini-cli", "Error authenticating: IneligibleTierError"), { category: "auth_or_proxy", strategy: "fresh restart", class: "infra" }],
  ["23 gemini unsupported client", tail("gemini", "Error authenticating: IneligibleTierError: … reasonCode: 'UNSUPPORTED_CLIENT'"), { category: "auth_or_proxy", strategy: "fresh restart", class: "infra" }],
  ["24 gemini-cli exit 1 is antigravity-only", tail("gemini", "gemini-cli", "exit status 1"), { category: "agent_error", strategy: "fresh restart" }],
  ["25 codex completion despite limit warning", tail("codex", "limit warning", "completion ok"), { category: "agent_error", strategy: "no-op" }],
  ["26 custom harness skips claude rows", tail("mycode", "rate-limit"), { category: "agent_error" }],
  ["27 case-insensitive", tail("mycode", "CONNECTION REFUSED"), { category: "transient_infra" }],
  ["28 outside the 50-line window", tail("mycode", "rate limit", ...Array.from({ length: 99 }, (_, i) => `line ${i}`)), { category: "agent_error" }],
  ["29 empty log", tail("mycode"), { category: "agent_error", strategy: "fresh restart", class: "agent" }],
  ["30 opencode usage limit, 4 days", event("opencode", "AI_RetryError: Failed after 3 attempts. Last error: Monthly usage limit reached. Resets in 4 days.", { code: "UnknownError" }), { category: "usage_limit", strategy: "wait + resume", class: "agent", resetInMs: 96 * H }],
  // DIVERGES (as 0.12): a generic UnknownError no longer blocks the text rows.
  ["31 generic opencode error does not block text", { ...event("opencode", "Unexpected server error. Check server logs for details.", { code: "UnknownError" }), stderrTail: ["rate limit"] }, { category: "short_rate_limit" }],
  ["32 dirty and unfinalized", { harness: "mycode", hasFileChanges: true, finalized: false }, { category: "incomplete_finalization", strategy: "resume + retry", class: "incomplete" }],
  ["33 evidence beats dirty tree", { ...event("claude", "model_not_found"), hasFileChanges: true, finalized: false }, { category: "invalid_model", strategy: "rotate", class: "agent" }],
];

describe("spec 04 §14.1 log tail → decision", () => {
  for (const [name, evidence, want] of LOG_TAIL_CASES) {
    test(name, () => expect(observed(classifyTry(evidence, NOW), want)).toEqual(want));
  }
  test("29 empty log reads unknown error", () => {
    const c = classifyTry(tail("mycode"), NOW);
    expect([c.detail, formatFailReason(c, NOW, "harness error")]).toEqual(["unknown error", "harness error"]);
  });
  test("30 displays the span and benches until it ends", () => {
    const c = classifyTry(LOG_TAIL_CASES[29]?.[1] ?? tail("x"), NOW);
    expect([formatFailReason(c, NOW), benchUntil(c.resetAt, NOW) - NOW]).toEqual(["usage limit, resets in 96h0m", 96 * H]);
  });
});

// Clock resets are read in the evidence zone; these cases use UTC so the instants are plain.
const UTC = { timeZone: "UTC" };
const EVIDENCE_CASES: Array<[string, TryEvidenceInput, Expected]> = [
  ["claude five-hour rate_limit_error", event("claude", "This request would exceed the five-hour rate limit for your organization.", { code: "rate_limit_error", status: 429 }), { category: "usage_limit", resetInMs: 5 * H }],
  ["claude resets in 3h 24m", event("claude", "Five-hour limit reached · resets in 3h 24m"), { category: "usage_limit", resetInMs: 3 * H + 24 * M }],
  ["claude usage cap 2h 5m", event("claude", "rate_limit: usage cap hit, resets in 2h 5m"), { category: "usage_limit", resetInMs: 2 * H + 5 * M }],
  ["claude seven-day", event("claude", "This request would exceed the seven-day rate limit"), { category: "usage_limit", resetInMs: 168 * H }],
  ["claude five hour cap", event("claude", "error: rate limit: five hour cap exceeded"), { category: "usage_limit", resetInMs: 5 * H }],
  ["claude short rate limit", event("claude", "error: rate_limit_error: too many requests"), { category: "short_rate_limit", cooldownMs: 60_000 }],
  ["claude resets at 14:30", { ...event("claude", "rate_limit: usage limit reached · resets at 14:30"), ...UTC }, { category: "usage_limit", resetInMs: 4 * H + 30 * M }],
  // DIVERGES: the clock is the reset; the five-hour window is only claude's rendering of it.
  ["claude five-hour + clock", { ...event("claude", "five-hour limit · resets at 2:30 PM"), ...UTC }, { category: "usage_limit", resetInMs: 4 * H + 30 * M }],
  ["claude model beats rate limit", event("claude", "model_not_found: rate limit was not the issue"), { category: "invalid_model" }],
  ["claude auth beats rate limit", event("claude", "authentication_failed: rate limit endpoint unreachable"), { category: "auth_or_proxy" }],
  ["claude HTTP 529", event("claude", "HTTP 529: Overloaded"), { category: "provider_overloaded", cooldownMs: 30_000 }],
  ["claude received 529", event("claude", "Received HTTP 529 from upstream"), { category: "provider_overloaded", cooldownMs: 30_000 }],
  ["claude generic error", event("claude", "some generic error from claude"), { category: "agent_error" }],
  ["claude empty error", event("claude", ""), { category: "agent_error" }],
  // DIVERGES: claude really prints hour-only clocks ("resets 7pm"), spec 07b.
  ["claude 5-hour resets 4pm", { ...event("claude", "5-hour limit reached · resets 4pm"), ...UTC }, { category: "usage_limit", resetInMs: 6 * H }],
  ["codex try again at 5:22 AM", { ...event("codex", "You've hit your usage limit. Upgrade to Pro. Try again at 5:22 AM."), ...UTC }, { category: "usage_limit", resetInMs: 19 * H + 22 * M }],
  ["codex try again at 11:30 PM", { ...event("codex", "You've hit your usage limit. Try again at 11:30 PM."), ...UTC }, { category: "usage_limit", resetInMs: 13 * H + 30 * M }],
  // DIVERGES: lowercase am/pm parses too.
  ["codex lowercase pm", { ...event("codex", "You've hit your usage limit. try again at 11:30 pm."), ...UTC }, { category: "usage_limit", resetInMs: 13 * H + 30 * M }],
  ["codex no reset", event("codex", "You've hit your usage limit. Upgrade to Pro."), { category: "usage_limit", resetInMs: null }],
  ["codex invalid key", event("codex", "Invalid API key provided"), { category: "auth_or_proxy" }],
  ["codex unauthorized", event("codex", "Unauthorized: token expired"), { category: "auth_or_proxy" }],
  ["codex model not found", event("codex", "Model not found: gpt-foo"), { category: "invalid_model" }],
  ["codex rate limit", event("codex", "Rate limit exceeded, slow down"), { category: "short_rate_limit", cooldownMs: 60_000 }],
  ["codex too many requests", event("codex", "Too many requests, slow down"), { category: "short_rate_limit", cooldownMs: 60_000 }],
  ["codex generic", event("codex", "Something went wrong with processing"), { category: "agent_error" }],
  ["gemini RESOURCE_EXHAUSTED", tail("gemini", "Error: RESOURCE_EXHAUSTED: Quota exceeded"), { category: "usage_limit", resetInMs: null }],
  ["gemini resets in 7d", tail("gemini", "Error: RESOURCE_EXHAUSTED: Quota exceeded. Resets in 7d."), { category: "usage_limit", resetInMs: 168 * H }],
  ["gemini resets in 5h30m", tail("gemini", "RESOURCE_EXHAUSTED. Resets in 5h30m."), { category: "usage_limit", resetInMs: 5.5 * H }],
  ["gemini resets in 1.5d", tail("gemini", "RESOURCE_EXHAUSTED. Resets in 1.5d."), { category: "usage_limit", resetInMs: 36 * H }],
  ["gemini individual quota", tail("gemini", "Individual quota reached for this API key."), { category: "usage_limit" }],
  ["gemini HTTP 429", tail("gemini", "HTTP 429: Too Many Requests"), { category: "short_rate_limit" }],
  ["gemini 429 RESOURCE_EXHAUSTED", tail("gemini", "HTTP 429: RESOURCE_EXHAUSTED: quota"), { category: "usage_limit" }],
  ["gemini IneligibleTierError", tail("gemini", "Error authenticating: IneligibleTierError: 'UNSUPPORTED_CLIENT'"), { category: "auth_or_proxy" }],
  ["gemini generic", tail("gemini", "something went wrong with the process"), { category: "agent_error" }],
  ["opencode RateLimitError retry after", event("opencode", "Rate limit exceeded. Retry after 120 seconds.", { code: "RateLimitError" }), { category: "short_rate_limit", cooldownMs: 120_000 }],
  ["opencode UsageLimitError 24h", event("opencode", "Usage limit reached. Resets in 24h.", { code: "UsageLimitError" }), { category: "usage_limit", resetInMs: 24 * H }],
  ["opencode monthly 7 days", event("opencode", "AI_APICallError: Monthly usage limit reached. Resets in 7 days.", { code: "UnknownError" }), { category: "usage_limit", resetInMs: 168 * H }],
  ["opencode server log absolute local time", {
    harness: "opencode",
    timeZone: "Europe/Istanbul",
    errorEvents: [{ source: "server_log", message: 'level=ERROR message="stream error" providerID=zai-coding-plan agent=build error.error="AI_RetryError: Usage limit reached for 5 hour. Your limit will reset at 2026-06-16 18:29:51"' }],
  }, { category: "usage_limit", resetInMs: Date.parse("2026-06-16T15:29:51Z") - NOW }],
  ["opencode AuthenticationError", event("opencode", "bad key", { code: "AuthenticationError" }), { category: "auth_or_proxy" }],
  ["opencode PermissionDeniedError", event("opencode", "denied", { code: "PermissionDeniedError" }), { category: "auth_or_proxy" }],
  ["opencode NotFoundError model", event("opencode", "model not found: gpt-foo does not exist", { code: "NotFoundError" }), { category: "invalid_model" }],
  ["opencode OverloadedError", event("opencode", "busy", { code: "OverloadedError" }), { category: "provider_overloaded", cooldownMs: 30_000 }],
  ["opencode ServerError 503", event("opencode", "503 Service Unavailable", { code: "ServerError" }), { category: "provider_overloaded" }],
  ["opencode generic UnknownError", event("opencode", "Unexpected server error. Check server logs for details.", { code: "UnknownError" }), { category: "agent_error" }],
  ["opencode bare error event", { harness: "opencode", errorEvents: [{}] }, { category: "agent_error" }],
  ["opencode nothing at all", { harness: "opencode", exitCode: 1 }, { category: "agent_error" }],
];

describe("spec 04 §14.2 evidence", () => {
  for (const [name, evidence, want] of EVIDENCE_CASES) {
    test(name, () => expect(observed(classifyTry(evidence, NOW), want)).toEqual(want));
  }
});

describe("priority between kinds of evidence", () => {
  const rateLimitTail = ["error: rate limit reached"];
  const cases: Array<[string, TryEvidenceInput, string]> = [
    ["launch failure beats everything", { harness: "claude", launchError: { code: "ENOENT", message: "spawn claude ENOENT" }, stderrTail: rateLimitTail }, "binary_missing"],
    ["a file that cannot be executed is like a missing one", { harness: "claude", launchError: { code: "EACCES", message: "permission denied" } }, "binary_missing"],
    ["a file that is not a program is like a missing one", { harness: "claude", launchError: { code: "ENOEXEC", message: "ENOEXEC: unknown error, posix_spawn '/x.sh'" } }, "binary_missing"],
    ["other launch failures are harness_launch", { harness: "claude", launchError: { code: "E2BIG", message: "argument list too long" } }, "harness_launch"],
    ["error event beats the timeout", { harness: "opencode", timedOut: "try", errorEvents: [{ source: "server_log", message: "Monthly usage limit reached. Resets in 4 days." }] }, "usage_limit"],
    ["timeout beats text rows", { harness: "mycode", timedOut: "run", stderrTail: rateLimitTail }, "timeout"],
    ["dirty tree beats text rows", { harness: "mycode", hasFileChanges: true, finalized: false, stderrTail: rateLimitTail }, "incomplete_finalization"],
    ["finalized changes are not incomplete", { harness: "mycode", hasFileChanges: true, finalized: true }, "agent_error"],
    ["text beats the stall flag", { harness: "mycode", stalled: true, stderrTail: ["connection refused"] }, "transient_infra"],
    ["a bare stall is stalled", { harness: "mycode", stalled: true }, "stalled"],
    ["text beats gemini's exit code", { harness: "gemini", exitCode: 173, stderrTail: ["TerminalQuotaError: You have exhausted your daily quota on this model."] }, "usage_limit"],
    ["JSON event lines on stdout are never read", { harness: "claude", stdoutTail: [JSON.stringify({ type: "user", message: { content: [{ type: "tool_result", content: "rate limit exceeded; five-hour limit" }] } })] }, "agent_error"],
    ["plain stdout lines are read", { harness: "mycode", stdoutTail: ["Error: connect ECONNREFUSED 127.0.0.1:443"] }, "transient_infra"],
    ["claude's own limit text comes as an error event", { harness: "claude", errorEvents: [{ message: "You've hit your limit · resets 1pm (Asia/Seoul)" }] }, "usage_limit"],
  ];
  for (const [name, evidence, category] of cases) {
    test(name, () => expect(classifyTry(evidence, NOW).category).toBe(category as TryClassification["category"]));
  }
});

describe("fail reason display (spec 04 §2.8)", () => {
  test.each([
    [tail("mycode", "rate limit", "retry-after: 90"), "rate limit, waiting 1m"],
    [tail("mycode", "rate limit", "retry-after: 45"), "rate limit, waiting 45s"],
    [tail("mycode", "You've hit your usage limit"), "usage limit"],
    [event("opencode", "Usage limit reached. Resets in 30m.", { code: "UsageLimitError" }), "usage limit, resets in 30m"],
    [tail("mycode", "connection refused"), "infra error"],
  ])("%# → %s", (evidence, reason) => {
    expect(formatFailReason(classifyTry(evidence, NOW), NOW)).toBe(reason);
  });
});
