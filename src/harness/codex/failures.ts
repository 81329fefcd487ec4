import type { FailurePattern } from "../../reliability/pattern.ts";
import { toolResultLine } from "../../reliability/patterns.ts";
import { codexReset, retryAfterReset } from "../../reliability/reset-extractors.ts";

// codex (`codex exec --json`). The harness parser turns `{"type":"error","message":…}` and
// `{"type":"turn.failed","error":{"message":…}}` into error events; non-terminal
// "Reconnecting... N/5 (…)" errors may be included, they name the same cause. codex prints its
// own usage text with a typographic apostrophe ("You’ve"), which matching folds to "'".

const CODEX_OUTPUT = ["error_event", "stderr", "stdout_text"] as const;
const USAGE_TURN_FAILED =
  "You’ve hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/usage to purchase more credits or try again at 3:43 AM.";

export const CODEX_FAILURES: readonly FailurePattern[] = [
  {
    name: "codex usage limit",
    category: "usage_limit",
    streams: CODEX_OUTPUT,
    match: ["hit your usage limit", "usage limit", "usage_limit_reached"],
    reset: codexReset,
    hits: [
      USAGE_TURN_FAILED,
      "You've hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/usage to purchase more credits or try again later.",
      { stderrTail: ["ERROR: You've hit your usage limit. Try again at 11:30 PM."] },
    ],
    misses: [
      {
        stdoutTail: [
          JSON.stringify({ type: "item.completed", item: { type: "command_execution", aggregated_output: "usage limit" } }),
        ],
      },
    ],
  },
  {
    name: "codex auth",
    category: "auth_or_proxy",
    streams: CODEX_OUTPUT,
    match: ["401 unauthorized", "invalid api key", "incorrect api key", "invalid_api_key", "unauthorized"],
    statuses: [401, 403],
    hits: [
      "unexpected status 401 Unauthorized: Incorrect API key provided, url: http://127.0.0.1:34803/v1/responses",
      "Invalid API key provided",
      "Unauthorized: missing bearer token",
    ],
    misses: [{ stdoutTail: [toolResultLine("401 Unauthorized from staging API")] }, "authorized tools: 9"],
  },
  {
    name: "codex invalid model",
    category: "invalid_model",
    streams: CODEX_OUTPUT,
    match: ["model not found", "model_not_found", "model does not exist"],
    statuses: [404],
    hits: ["Model not found: gpt-foo"],
    // codex warns about missing bundled metadata but still runs the model.
    misses: ["Model metadata for `gpt-5.1-codex` not found; using defaults"],
  },
  {
    name: "codex overloaded",
    category: "provider_overloaded",
    streams: CODEX_OUTPUT,
    match: ["server is overloaded", "503 service unavailable", "overloaded"],
    statuses: [503, 529],
    reset: retryAfterReset,
    hits: [
      "unexpected status 503 Service Unavailable: The server is overloaded or not ready yet., url: http://127.0.0.1:34443/v1/responses",
    ],
    misses: [{ stdoutTail: [toolResultLine("503 Service Unavailable")] }],
  },
  {
    name: "codex rate limit",
    category: "short_rate_limit",
    streams: CODEX_OUTPUT,
    match: ["rate limit", "rate_limit", "too many requests"],
    statuses: [429],
    reset: retryAfterReset,
    hits: [
      "exceeded retry limit, last status: 429 Too Many Requests",
      "Rate limit exceeded, please retry in 20s",
      "Too many requests",
    ],
    misses: ["The upstream provider returned a rate-limit warning; retries may succeed later"],
  },
  {
    name: "codex stream disconnected",
    category: "transient_infra",
    streams: CODEX_OUTPUT,
    match: ["stream disconnected before completion"],
    hits: ["stream disconnected before completion: stream closed before response.completed"],
    misses: ["stream completed"],
  },
  {
    // codex refuses to start on a bad config.toml; a retry cannot fix it, but it is not the agent.
    name: "codex config error",
    category: "harness_launch",
    streams: ["stderr", "stdout_text"],
    match: ["error loading config.toml"],
    hits: [
      'Error loading config.toml: `wire_api = "chat"` is no longer supported.\nHow to fix: set `wire_api = "responses"` in your provider config.',
    ],
    misses: ["loaded config.toml"],
  },
  {
    // Spec 04 §2.4 row 18: codex reports completion despite a limit warning → the try succeeded.
    name: "codex completion despite limit warning",
    category: "agent_error",
    strategy: "no-op",
    streams: ["stderr", "stdout_text"],
    match: ["limit warning"],
    alsoMatch: ["completion"],
    hits: ["limit warning\ncompletion ok"],
    misses: ["limit warning", { stdoutTail: [toolResultLine("limit warning; completion")] }],
  },
];
