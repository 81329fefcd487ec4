// How to point each real agent CLI at the scripted model server, offline and isolated.
//
// Pure functions: they return data and touch nothing. Each result splits into
//   env        – variables for the child (rally: `[harness.X] env = {...}`)
//   extraArgs  – provider/model/safety flags (rally: `[harness.X] extra_args = [...]`)
//   files      – files to write under the isolated HOME before the first run
// The headless flags and the resume flag are rally's own argv (see `headlessArgv`), kept apart
// so a test can build the same argv rally will build.

export type AgentCli = "claude" | "codex" | "gemini" | "opencode";
export const AGENT_CLIS: readonly AgentCli[] = ["claude", "codex", "gemini", "opencode"];

export interface CliEnvOptions {
  /** Base URL of the model server, e.g. http://127.0.0.1:43210 (no trailing slash). */
  serverUrl: string;
  /** Isolated home directory for this run (absolute). */
  home: string;
  /** Isolated TMPDIR (gemini writes error reports to os.tmpdir()). Default `<home>/tmp`. */
  tmpdir?: string;
  /** Model name sent to the server. Default per CLI (see DEFAULT_MODEL). */
  model?: string;
  /** True when the process runs as root: claude then needs IS_SANDBOX=1. */
  root?: boolean;
  /**
   * "none": turn off the CLI's own retries where a knob exists, so fault tests end fast.
   * claude CLAUDE_CODE_MAX_RETRIES=0; codex request/stream_max_retries=0; gemini maxAttempts=1.
   * opencode has no retry-count knob (use retry-after-ms from the server instead).
   */
  retries?: "default" | "none";
  /** Per-request timeout where a knob exists (claude API_TIMEOUT_MS, opencode options.timeout). */
  requestTimeoutMs?: number;
  /**
   * claude only. "api-key" (default): ANTHROPIC_API_KEY, sent as x-api-key. "oauth":
   * CLAUDE_CODE_OAUTH_TOKEN, sent as Bearer, like a subscription login; only then does claude
   * read the anthropic-ratelimit-unified-* headers and print its own usage-limit text.
   */
  claudeAuth?: "api-key" | "oauth";
}

export interface CliSetup {
  cli: AgentCli;
  env: Record<string, string>;
  extraArgs: string[];
  /** Path relative to HOME → file content. */
  files: Record<string, string>;
}

export const DEFAULT_MODEL: Record<AgentCli, string> = {
  claude: "claude-sonnet-4-5",
  codex: "mock-model",
  gemini: "gemini-2.5-pro",
  opencode: "mock-model",
};

/** Variables every CLI gets: an isolated home, tmp and XDG dirs, and a plain terminal. */
export function isolationEnv(o: CliEnvOptions): Record<string, string> {
  return {
    HOME: o.home,
    TMPDIR: o.tmpdir ?? `${o.home}/tmp`,
    XDG_CONFIG_HOME: `${o.home}/.config`,
    XDG_DATA_HOME: `${o.home}/.local/share`,
    XDG_CACHE_HOME: `${o.home}/.cache`,
    XDG_STATE_HOME: `${o.home}/.local/state`,
    TERM: "dumb",
    NO_COLOR: "1",
    LANG: "C.UTF-8",
  };
}

export function claudeEnv(o: CliEnvOptions): CliSetup {
  const env: Record<string, string> = {
    ...isolationEnv(o),
    ANTHROPIC_BASE_URL: o.serverUrl,
    ...(o.claudeAuth === "oauth" ? { CLAUDE_CODE_OAUTH_TOKEN: "sk-ant-oat-mock-000" } : { ANTHROPIC_API_KEY: "sk-ant-mock-000" }),
    // No api.anthropic.com lookups and no extra tool-less request per run.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
  };
  if (o.root) env.IS_SANDBOX = "1"; // else --dangerously-skip-permissions refuses to run as root
  if (o.retries === "none") env.CLAUDE_CODE_MAX_RETRIES = "0";
  if (o.requestTimeoutMs !== undefined) env.API_TIMEOUT_MS = String(o.requestTimeoutMs);
  return {
    cli: "claude",
    env,
    extraArgs: ["--dangerously-skip-permissions", "--model", o.model ?? DEFAULT_MODEL.claude],
    files: {},
  };
}

export function codexEnv(o: CliEnvOptions): CliSetup {
  const retry = o.retries === "none" ? ",request_max_retries=0,stream_max_retries=0" : "";
  const provider = `{name="mock",base_url="${o.serverUrl}/v1",env_key="MOCK_API_KEY",wire_api="responses"${retry}}`;
  return {
    cli: "codex",
    env: { ...isolationEnv(o), CODEX_HOME: `${o.home}/.codex`, MOCK_API_KEY: "sk-mock" },
    extraArgs: [
      "--dangerously-bypass-approvals-and-sandbox",
      "--skip-git-repo-check",
      // A custom provider goes straight to POST /v1/responses over SSE (OPENAI_BASE_URL is ignored,
      // and the built-in provider tries WebSockets first).
      "-c", "model_provider=mock",
      "-c", `model_providers.mock=${provider}`,
      "-m", o.model ?? DEFAULT_MODEL.codex,
      // No chatgpt.com / github.com lookups.
      "--disable", "apps",
      "--disable", "plugins",
      "--disable", "remote_plugin",
      "--disable", "api_key_model_discovery",
      "-c", "analytics.enabled=false",
    ],
    // CODEX_HOME must exist ("Error finding codex home", exit 1); the provider lives in -c flags.
    files: { ".codex/config.toml": "# rally agent tests: provider settings are passed with -c\n" },
  };
}

export function geminiEnv(o: CliEnvOptions): CliSetup {
  const settings = {
    // Without this, GOOGLE_GEMINI_BASE_URL makes the auth type "gateway": exit 41.
    security: { auth: { selectedType: "gemini-api-key" }, folderTrust: { enabled: false } },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true, ...(o.retries === "none" ? { maxAttempts: 1 } : {}) },
  };
  return {
    cli: "gemini",
    env: { ...isolationEnv(o), GEMINI_API_KEY: "mock-key", GOOGLE_GEMINI_BASE_URL: o.serverUrl },
    extraArgs: ["--yolo", "--skip-trust", "-m", o.model ?? DEFAULT_MODEL.gemini],
    files: { ".gemini/settings.json": `${JSON.stringify(settings, null, 2)}\n` },
  };
}

export function opencodeConfig(o: CliEnvOptions): Record<string, unknown> {
  const model = o.model ?? DEFAULT_MODEL.opencode;
  const options: Record<string, unknown> = { baseURL: `${o.serverUrl}/v1`, apiKey: "sk-mock" };
  if (o.requestTimeoutMs !== undefined) options.timeout = o.requestTimeoutMs;
  return {
    $schema: "https://opencode.ai/config.json",
    autoupdate: false,
    share: "disabled",
    model: `mock/${model}`,
    provider: {
      mock: {
        npm: "@ai-sdk/openai-compatible", // bundled in the binary: nothing is installed
        name: "Mock",
        options,
        models: { [model]: { name: "Mock Model", tool_call: true, limit: { context: 100000, output: 4096 } } },
      },
    },
  };
}

export function opencodeEnv(o: CliEnvOptions): CliSetup {
  return {
    cli: "opencode",
    env: {
      ...isolationEnv(o),
      OPENCODE_CONFIG_CONTENT: JSON.stringify(opencodeConfig(o)),
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
      OPENCODE_DISABLE_SHARE: "1",
      // The detached install of @opencode-ai/plugin then fails at once on a closed local port.
      npm_config_registry: "http://127.0.0.1:9/",
    },
    extraArgs: ["-m", `mock/${o.model ?? DEFAULT_MODEL.opencode}`],
    files: {},
  };
}

export function cliEnv(cli: AgentCli, o: CliEnvOptions): CliSetup {
  switch (cli) {
    case "claude":
      return claudeEnv(o);
    case "codex":
      return codexEnv(o);
    case "gemini":
      return geminiEnv(o);
    case "opencode":
      return opencodeEnv(o);
  }
}

/**
 * The argv rally itself builds (headless JSON output, prompt, resume), with `extraArgs` placed
 * where each CLI accepts them. codex: exec-level flags must come before `resume`.
 */
export function headlessArgv(setup: CliSetup, prompt: string, resumeId?: string): string[] {
  const extra = setup.extraArgs;
  switch (setup.cli) {
    case "claude":
      return ["-p", prompt, "--output-format", "stream-json", "--verbose", ...extra, ...(resumeId ? ["--resume", resumeId] : [])];
    case "codex":
      return ["exec", "--json", ...extra, ...(resumeId ? ["resume", resumeId] : []), prompt];
    case "gemini":
      return ["-p", prompt, "-o", "stream-json", ...extra, ...(resumeId ? ["--resume", resumeId] : [])];
    case "opencode":
      return ["run", "--format", "json", ...extra, ...(resumeId ? ["--session", resumeId] : []), prompt];
  }
}
