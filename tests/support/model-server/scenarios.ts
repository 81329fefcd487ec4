// Scenarios: pure functions from the request's conversation to a reply.
// They decide from the last user/tool message in the request, never from a request counter,
// because the CLIs send side requests (claude warm-up, opencode title, gemini JSON calls).

import type { Conversation, FaultKind, FaultOptions, Reply, Scenario, ToolCall } from "./types.ts";

/** Write-capable tools in preference order, then shell tools, as the four CLIs name them. */
const WRITE_TOOLS = ["Write", "write_file", "write"] as const;
const SHELL_TOOLS = ["Bash", "run_shell_command", "bash", "exec_command", "shell_command", "shell"] as const;

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The argument shape each known tool expects for "write `content` to `path`". */
export function writeFileCall(tools: string[], path: string, content: string, prefer: "write" | "shell" = "write"): ToolCall | undefined {
  const write = WRITE_TOOLS.find((t) => tools.includes(t));
  const shell = SHELL_TOOLS.find((t) => tools.includes(t));
  const script = `printf '%s' ${shellQuote(content)} > ${shellQuote(path)}`;
  const pick = prefer === "shell" ? (shell ?? write) : (write ?? shell);
  switch (pick) {
    case "Write":
    case "write_file":
      return { name: pick, args: { file_path: path, content } };
    case "write":
      return { name: pick, args: { filePath: path, content } };
    case "Bash":
    case "run_shell_command":
    case "bash":
      return { name: pick, args: { command: script, description: "Write the requested file" } };
    case "exec_command":
      return { name: pick, args: { cmd: script } };
    case "shell_command":
      return { name: pick, args: { command: script } };
    case "shell":
      return { name: pick, args: { command: ["bash", "-lc", script] } };
    default:
      return undefined;
  }
}

/** A value that fits a (JSON-schema-like) schema, for structured-output side calls. */
export function sampleForSchema(schema: any): unknown {
  if (!schema || typeof schema !== "object") return {};
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const type = String(schema.type ?? (schema.properties ? "object" : "string")).toLowerCase();
  if (type === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sampleForSchema(v);
    return out;
  }
  if (type === "array") return [];
  if (type === "boolean") return false;
  if (type === "number" || type === "integer") return 0;
  return "mock";
}

/** Side calls that want JSON get JSON, so a scenario's text never breaks them. */
function withSideCalls(name: string, reply: (c: Conversation) => Reply): Scenario {
  return {
    name,
    reply: (c) => (c.jsonSchema !== undefined ? { kind: "json", value: sampleForSchema(c.jsonSchema) } : reply(c)),
  };
}

export function text(reply = "done"): Scenario {
  return withSideCalls("text", () => ({ kind: "text", text: reply }));
}

export interface WriteFileOptions {
  /** Prefer the shell tool even when a write tool is offered. */
  prefer?: "write" | "shell";
  /** Final text after the tool result comes back. */
  doneText?: string;
}

export function writeFile(path: string, content: string, options: WriteFileOptions = {}): Scenario {
  const doneText = options.doneText ?? "done: file written";
  return withSideCalls("writeFile", (c) => {
    if (c.lastIsToolResult) return { kind: "text", text: doneText };
    const call = writeFileCall(c.tools, path, content, options.prefer);
    // Tool-less requests (title generation) get a plain answer.
    return call ? { kind: "tool", call } : { kind: "text", text: "Write a file" };
  });
}

const REMEMBER = /remember the codeword\s+["']?([A-Za-z0-9_-]+)/i;
const ASK = /what (?:is|was) the codeword/i;

/**
 * Step 1 "remember the codeword X" → "OK". Step 2 "what was the codeword?" → X only if an
 * earlier user message in the *same request* says so (i.e. the CLI resent the history),
 * else "I do not know".
 */
export function codeword(): Scenario {
  return withSideCalls("codeword", (c) => {
    if (ASK.test(c.lastUserText)) {
      const lastUser = c.turns.findLastIndex((t) => t.role === "user");
      const earlier = c.turns.slice(0, lastUser).filter((t) => t.role === "user");
      const word = earlier.map((t) => REMEMBER.exec(t.text)?.[1]).findLast(Boolean);
      return { kind: "text", text: word ?? "I do not know" };
    }
    if (REMEMBER.test(c.lastUserText)) return { kind: "text", text: "OK" };
    return { kind: "text", text: "OK" };
  });
}

function fault(kind: FaultKind, options: FaultOptions = {}): Scenario {
  return { name: kind, reply: () => ({ kind: "fault", fault: kind, options }) };
}

/** HTTP 429 short rate limit, with `retry-after: 1` unless overridden. */
export const rateLimit429 = (o: FaultOptions = {}) => fault("rateLimit429", { retryAfterSeconds: 1, ...o });
/** HTTP 429 with the provider's usage-limit wording and reset time. */
export const usageLimit = (o: FaultOptions = {}) => fault("usageLimit", o);
/** Bad key: 401 (anthropic, openai); 400 API_KEY_INVALID (gemini, as the real API). */
export const auth401 = (o: FaultOptions = {}) => fault("auth401", o);
/** 529 overloaded_error (anthropic), 503 (openai, gemini). */
export const overloaded = (o: FaultOptions = {}) => fault("overloaded", o);
/** Accept the request and send no byte, not even a status line. */
export const hang = () => fault("hang");
/** 200 + SSE headers (+ the first event where the wire has one), then silence. */
export const stallAfterHeaders = () => fault("stallAfterHeaders");
/** 200 SSE that breaks inside an event's JSON; `cut` ends without the blank line. */
export const malformed = (o: FaultOptions = {}) => fault("malformed", o);

/** Run `pick` on each request: e.g. route by protocol or by prompt text. */
export function custom(name: string, pick: (c: Conversation) => Reply): Scenario {
  return { name, reply: pick };
}
