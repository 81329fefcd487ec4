import { describe, expect, test } from "bun:test";
import { ARGV_PROMPT_MAX_BYTES } from "../prompt-input.ts";
import { fixture, invocationInput, jsonl, runParser } from "../test-support.ts";
import { claudeInvocation } from "./index.ts";
import { createClaudeParser } from "./parser.ts";

const NOT_ROOT = { runningAsRoot: false };
const BASE = ["--dangerously-skip-permissions", "--output-format", "stream-json", "--verbose"];

describe("claude invocation", () => {
  const cases: Array<[string, Parameters<typeof invocationInput>[0], string[]]> = [
    ["fresh", {}, ["claude", "-p", "do the task", ...BASE]],
    ["model", { model: "claude-haiku-4-5" }, ["claude", "-p", "do the task", ...BASE, "--model", "claude-haiku-4-5"]],
    ["model + effort (spec C9 order)", { model: "M", effortArgs: ["--effort", "high"] }, ["claude", "-p", "do the task", ...BASE, "--model", "M", "--effort", "high"]],
    ["resume last", { resumeSessionId: "sess-resume-42" }, ["claude", "-p", "do the task", ...BASE, "--resume", "sess-resume-42"]],
    ["extra_args before --resume", { resumeSessionId: "s1", config: { extra_args: ["--add-dir", "/x"] } }, ["claude", "-p", "do the task", ...BASE, "--add-dir", "/x", "--resume", "s1"]],
  ];
  for (const [name, input, argv] of cases) {
    test(name, () => {
      const inv = claudeInvocation(invocationInput(input), NOT_ROOT);
      expect(inv.argv).toEqual(argv);
      expect(inv.stdinText).toBeUndefined();
    });
  }

  test("empty resume id passes no --resume", () => {
    expect(claudeInvocation(invocationInput({ resumeSessionId: "" }), NOT_ROOT).argv).not.toContain("--resume");
  });

  test("IS_SANDBOX=1 only as root; user env merged and wins", () => {
    expect(claudeInvocation(invocationInput(), NOT_ROOT).env).toEqual({});
    expect(claudeInvocation(invocationInput(), { runningAsRoot: true }).env).toEqual({ IS_SANDBOX: "1" });
    const env = claudeInvocation(invocationInput({ config: { env: { ANTHROPIC_BASE_URL: "http://gw", IS_SANDBOX: "0" } } }), { runningAsRoot: true }).env;
    expect(env).toEqual({ IS_SANDBOX: "0", ANTHROPIC_BASE_URL: "http://gw" });
  });

  test("a prompt over the argument limit goes to stdin, with no prompt argument", () => {
    const prompt = "x".repeat(ARGV_PROMPT_MAX_BYTES + 1);
    const inv = claudeInvocation(invocationInput({ prompt, resumeSessionId: "s1" }), NOT_ROOT);
    expect(inv.stdinText).toBe(prompt);
    expect(inv.argv).toEqual(["claude", "-p", ...BASE, "--resume", "s1"]);
    expect(inv.argv.every((a) => a.length < 1000)).toBe(true);
  });

  test("a prompt that starts with '-' goes to stdin so it is not read as a flag", () => {
    const inv = claudeInvocation(invocationInput({ prompt: "--help me" }), NOT_ROOT);
    expect(inv.stdinText).toBe("--help me");
    expect(inv.argv).not.toContain("--help me");
  });
});

describe("claude parser over real captures (Claude Code 2.1.197)", () => {
  const parse = (name: string, exitCode: number | null) =>
    runParser(createClaudeParser(), { stdout: fixture(import.meta.url, name), exitCode });

  test("tool call then text: completed, session, tool count, usage and cost", () => {
    const r = parse("write-file.jsonl", 0);
    expect(r).toMatchObject({
      completed: true,
      summary: "done: file written",
      sessionId: "9e1b6a39-755d-4169-bd6d-864ef9fb493d",
      toolCalls: 1,
      usage: { input_tokens: 40, output_tokens: 33, cache_read_tokens: 0, cache_write_tokens: 0 },
      errorEvents: [],
    });
    expect(r.costUsd).toBeCloseTo(0.000615, 9);
  });

  test("resumed run keeps reporting the session it resumed", () => {
    const r = parse("codeword-2.jsonl", 0);
    expect(r.completed).toBe(true);
    expect(r.summary).toBe("PELICAN");
    expect(r.sessionId).toBe("d58515cf-1c63-4b7d-9340-e4c9417e1f86");
  });

  const faults: Array<[string, { code: string; status?: number; text: RegExp }]> = [
    ["auth-401.jsonl", { code: "authentication_failed", status: 401, text: /Invalid API key/ }],
    ["overloaded.jsonl", { code: "server_error", status: 529, text: /529 Overloaded/ }],
    ["usage-limit.jsonl", { code: "rate_limit", status: 429, text: /You've hit your limit · resets 7pm/ }],
    ["rate-limit-429.jsonl", { code: "rate_limit", status: 429, text: /Request rejected \(429\)/ }],
    ["malformed.jsonl", { code: "unknown", text: /empty or malformed response/ }],
  ];
  for (const [name, want] of faults) {
    test(`${name}: is_error result is a failure although subtype is "success"`, () => {
      const r = parse(name, 1);
      expect(r.completed).toBe(false);
      expect(r.summary).toMatch(want.text);
      expect(r.errorEvents).toEqual([
        { source: "error_event", code: want.code, message: expect.stringMatching(want.text) },
        { source: "result", message: expect.stringMatching(want.text), status: want.status },
      ]);
    });
  }

  test("is_error result fails even with exit code 0", () => {
    expect(parse("auth-401.jsonl", 0).completed).toBe(false);
  });

  test("OAuth usage limit: the rejected rate_limit_event carries the reset epoch", () => {
    const r = parse("usage-limit-oauth.jsonl", 1);
    expect(r.completed).toBe(false);
    expect(r.errorEvents[0]).toEqual({ source: "rate_limit_event", code: "rate_limit_event", message: "rejected five_hour", resetsAt: 1795579967 });
    expect(r.errorEvents.map((e) => e.source)).toEqual(["rate_limit_event", "error_event", "result"]);
  });

  test("killed while hanging: no result event means not completed, session still captured", () => {
    const r = parse("hang.jsonl", null);
    expect(r).toMatchObject({ completed: false, sessionId: "b10f7caf-447c-4a10-b645-135c5d671266", errorEvents: [] });
    expect(r.summary).toBe("claude exited before its final result event");
  });
});

describe("claude parser edge cases", () => {
  const parse = (stdout: string, exitCode: number | null = 0) => runParser(createClaudeParser(), { stdout, exitCode });

  test("three tool_use blocks across two assistant events (spec C3)", () => {
    const tool = { type: "tool_use", id: "t", name: "Bash", input: {} };
    const r = parse(jsonl(
      { type: "assistant", message: { content: [tool, tool] }, session_id: "s" },
      { type: "assistant", message: { content: [{ type: "text", text: "hi" }, tool] }, session_id: "s" },
      { type: "result", subtype: "success", is_error: false, result: "ok", session_id: "s" },
    ));
    expect(r.toolCalls).toBe(3);
    expect(r.completed).toBe(true);
  });

  test("a successful result with a non-zero exit is not completed", () => {
    expect(parse(jsonl({ type: "result", subtype: "success", is_error: false, result: "ok" }), 1).completed).toBe(false);
  });

  test("error subtypes (max turns) are not completed", () => {
    const r = parse(jsonl({ type: "result", subtype: "error_max_turns", is_error: false, session_id: "s" }));
    expect(r.completed).toBe(false);
    expect(r.summary).toBe("claude result: error_max_turns");
  });

  test("ANSI is stripped from the summary", () => {
    expect(parse(jsonl({ type: "result", subtype: "success", result: "\x1b[31mred\x1b[0m done" })).summary).toBe("red done");
  });

  test("allowed rate_limit_event is not an error; junk lines are skipped", () => {
    const r = parse(`not json\n[1,2]\n${jsonl(
      { type: "rate_limit_event", rate_limit_info: { status: "allowed_warning", rateLimitType: "five_hour" }, session_id: "s" },
      { type: "result", subtype: "success", is_error: false, result: "ok", session_id: "s" },
    )}`);
    expect(r.errorEvents).toEqual([]);
    expect(r.completed).toBe(true);
  });

  test("tool results mentioning limits never become error events", () => {
    const r = parse(jsonl(
      { type: "user", message: { content: [{ type: "tool_result", content: "429 rate limit exceeded; usage limit reached" }] }, session_id: "s" },
      { type: "result", subtype: "success", is_error: false, result: "ok", session_id: "s" },
    ));
    expect(r.errorEvents).toEqual([]);
  });

  test("claude's synthetic messages are its own words; the model's text never is evidence", () => {
    const say = (model: string, text: string) => ({ type: "assistant", message: { model, content: [{ type: "text", text }] }, session_id: "s" });
    const limit = "You've hit your limit · resets 7pm (Europe/Istanbul)";
    expect(parse(jsonl(say("<synthetic>", limit))).errorEvents).toEqual([{ source: "error_event", code: undefined, message: limit }]);
    const quoted = parse(jsonl(say("claude-haiku-4-5", `limits.md says: ${limit}`)));
    expect(quoted.errorEvents).toEqual([]);
    expect(quoted.summary).toBe(`limits.md says: ${limit}`); // still the summary
  });

  test("a 200 KiB single line is parsed whole", () => {
    const big = "a".repeat(200 * 1024);
    const r = runParser(createClaudeParser(), { stdout: jsonl({ type: "result", subtype: "success", result: big, session_id: "s" }), exitCode: 0, chunkBytes: 4096 });
    expect(r.summary.length).toBe(big.length);
  });

  test("no output at all (launch failure): empty summary so the engine reports the launch error", () => {
    expect(parse("", null)).toMatchObject({ completed: false, summary: "" });
  });
});
