import type { FailurePattern } from "./pattern.ts";
import { anyReset, retryAfterReset } from "./reset-extractors.ts";

// Common failure rows, tried after the harness's own rows (spec 04 §2.4, reordered where noted).
// They trust the CLI's error events, its stderr and plain-text stdout lines; never JSON event
// lines, which carry tool output and file contents. Every row carries a hit and a miss.

const CLI_OUTPUT = ["stderr", "stdout_text", "error_event"] as const;

/** A JSON event line as a CLI prints it when a tool result quotes some text. */
export function toolResultLine(text: string): string {
  return JSON.stringify({ type: "tool_result", content: text });
}

export const COMMON_FAILURES: readonly FailurePattern[] = [
  {
    // Before the rate-limit row (spec 07b §3): "usage limit reached; rate limit applies" is a quota.
    name: "usage limit",
    category: "usage_limit",
    streams: CLI_OUTPUT,
    match: ["usage limit", "hit your limit", "spend limit"],
    reset: anyReset,
    hits: [
      "You've hit your usage limit. Upgrade to Pro.",
      "usage limit reached; rate limit applies",
      "You've hit your individual spend limit",
    ],
    misses: [
      "src/usage/limits.ts: 3 lines changed",
      { stdoutTail: [toolResultLine("rg 'usage limit' src/ → 4 matches")] },
    ],
  },
  {
    name: "rate limit",
    category: "short_rate_limit",
    streams: CLI_OUTPUT,
    match: ["rate limit", "too many requests", "rate_limit_exceeded"],
    reset: retryAfterReset,
    hits: [
      "error: rate limit reached for this API key",
      "HTTP 429: Too Many Requests - please slow down",
      { stderrTail: ["429 Too Many Requests", "retry-after: 120"] },
    ],
    misses: [
      `error: Cannot find module '@upstash/ratelimit'`,
      "The upstream provider returned a rate-limit warning; retries may succeed later",
      { stdoutTail: [toolResultLine("Error: rate limit exceeded (from the test fixture)")] },
    ],
  },
  {
    name: "argument list too long",
    category: "harness_launch",
    streams: CLI_OUTPUT,
    match: ["argument list too long"],
    hits: ["error: argument list too long when spawning process"],
    misses: [{ stdoutTail: [toolResultLine("xargs: argument list too long")] }],
  },
  {
    name: "fork/exec error",
    category: "harness_launch",
    streams: CLI_OUTPUT,
    match: ["fork/exec"],
    hits: ["fork/exec /usr/local/bin/agent: permission denied"],
    misses: ["forking worker process 3"],
  },
  {
    name: "exec format error",
    category: "harness_launch",
    streams: CLI_OUTPUT,
    match: ["exec format error"],
    hits: ["exec /usr/bin/agent: exec format error"],
    misses: ["format error in src/exec.ts"],
  },
  {
    name: "executable not found",
    category: "binary_missing",
    strategy: "rotate",
    streams: CLI_OUTPUT,
    match: ["exec:"],
    alsoMatch: ["not found"],
    hits: [`exec: "claude": executable file not found in $PATH`, "exec: foo\nfile not found"],
    misses: ["exec: started worker", { stdoutTail: [toolResultLine(`exec: "rg": not found`)] }],
  },
  {
    // POSIX shells exit 126 for "found but not executable" and 127 for "command not found",
    // which is also what a node-based CLI shim gives when node itself is missing.
    name: "shell exit 127",
    category: "binary_missing",
    strategy: "rotate",
    streams: ["exit_code"],
    exitCodes: [127],
    hits: [{ exitCode: 127, stderrTail: ["/usr/bin/env: 'node': No such file or directory"] }],
    misses: [{ exitCode: 1, stderrTail: ["cat: notes.txt: No such file or directory"] }],
  },
  {
    name: "shell exit 126",
    category: "harness_launch",
    streams: ["exit_code"],
    exitCodes: [126],
    hits: [{ exitCode: 126 }],
    misses: [{ exitCode: 1 }],
  },
  {
    name: "API timeout",
    category: "transient_infra",
    streams: CLI_OUTPUT,
    match: ["request timed out", "deadline exceeded"],
    hits: ["API call failed: request timed out after 30s", "grpc: deadline exceeded waiting for response"],
    misses: ["test timed out after 5000ms", { stdoutTail: [toolResultLine("context deadline exceeded")] }],
  },
  {
    name: "connection refused",
    category: "transient_infra",
    streams: CLI_OUTPUT,
    match: ["connection refused", "connection reset", "econnrefused", "econnreset"],
    hits: ["read tcp: connection reset by peer", "CONNECTION REFUSED"],
    misses: [{ stdoutTail: [toolResultLine("curl: (7) Failed to connect: Connection refused")] }],
  },
  {
    name: "network unreachable",
    category: "transient_infra",
    streams: CLI_OUTPUT,
    match: ["network is unreachable", "no route to host", "getaddrinfo"],
    hits: ["dial tcp: no route to host", "getaddrinfo ENOTFOUND api.anthropic.com"],
    misses: ["route /host not registered"],
  },
  {
    name: "TLS handshake",
    category: "transient_infra",
    streams: CLI_OUTPUT,
    match: ["tls handshake timeout", "certificate verify failed"],
    hits: ["net/http: TLS handshake timeout"],
    misses: ["tls: handshake complete"],
  },
  {
    name: "server error 5xx",
    category: "transient_infra",
    streams: CLI_OUTPUT,
    match: ["500 internal server error", "502 bad gateway", "503 service unavailable", "504 gateway timeout"],
    hits: ["HTTP/1.1 503 Service Unavailable", "502 Bad Gateway"],
    misses: ["listening on :5030", { stdoutTail: [toolResultLine("HTTP/1.1 500 Internal Server Error")] }],
  },
  {
    // Kept for spec 04 §14.1 case 18; rally itself never writes this into the agent's streams.
    name: "stall detected",
    category: "transient_infra",
    streams: CLI_OUTPUT,
    match: ["stall detected", "stall recovery"],
    hits: ["stall detected"],
    misses: ["stalled build retried", { stdoutTail: [toolResultLine("stall detected")] }],
  },
];
