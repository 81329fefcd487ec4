import { describe, expect, test } from "bun:test";
import { ARGV_PROMPT_MAX_BYTES } from "../prompt-input.ts";
import { fixture, invocationInput, jsonl, runParser } from "../test-support.ts";
import { geminiInvocation } from "./index.ts";
import { createGeminiParser } from "./parser.ts";

const TAIL = ["-o", "stream-json", "--yolo", "--skip-trust"];

describe("gemini invocation", () => {
  const cases: Array<[string, Parameters<typeof invocationInput>[0], string[]]> = [
    ["fresh", {}, ["gemini", "-p", "do the task", ...TAIL]],
    ["model", { model: "gemini-3-flash-preview" }, ["gemini", "-p", "do the task", ...TAIL, "-m", "gemini-3-flash-preview"]],
    ["resume with the captured session uuid", { model: "m", resumeSessionId: "1b980c62-a7b2-4194-8254-f89cb415b05c" },
      ["gemini", "-p", "do the task", ...TAIL, "-m", "m", "--resume", "1b980c62-a7b2-4194-8254-f89cb415b05c"]],
    ["extra_args before --resume", { resumeSessionId: "u", config: { extra_args: ["--sandbox"] } }, ["gemini", "-p", "do the task", ...TAIL, "--sandbox", "--resume", "u"]],
  ];
  for (const [name, input, argv] of cases) {
    test(name, () => {
      const inv = geminiInvocation(invocationInput(input));
      expect(inv.argv).toEqual(argv);
      expect(inv.stdinText).toBeUndefined();
    });
  }

  test("effort flags are placed if the engine renders any (it renders none for gemini)", () => {
    expect(geminiInvocation(invocationInput({ effortArgs: ["--x", "y"] })).argv).toEqual(["gemini", "-p", "do the task", ...TAIL, "--x", "y"]);
  });

  test("trust env set; user env merged", () => {
    expect(geminiInvocation(invocationInput({ config: { env: { GEMINI_API_KEY: "k" } } })).env).toEqual({ GEMINI_CLI_TRUST_WORKSPACE: "true", GEMINI_API_KEY: "k" });
  });

  test("long prompt goes to stdin without -p (gemini reads stdin when it is not a terminal)", () => {
    const prompt = "y".repeat(ARGV_PROMPT_MAX_BYTES + 10);
    const inv = geminiInvocation(invocationInput({ prompt }));
    expect(inv.argv).toEqual(["gemini", ...TAIL]);
    expect(inv.stdinText).toBe(prompt);
  });
});

describe("gemini parser over real captures (gemini-cli 0.61.0)", () => {
  const parse = (name: string, exitCode: number | null, stderr?: string) =>
    runParser(createGeminiParser(), { stdout: fixture(import.meta.url, name), stderr, exitCode });

  test("tool call then text: completed, session, tools, usage", () => {
    expect(parse("write-file.jsonl", 0)).toEqual({
      completed: true,
      summary: "done: file written",
      sessionId: "ec7ec052-4ed9-4dd8-bad6-b8d4a2d2c9a0",
      toolCalls: 1,
      usage: { input_tokens: 40, output_tokens: 33, cache_read_tokens: 0 },
      errorEvents: [],
    });
  });

  test("resumed session reports the same id and the remembered answer", () => {
    expect(parse("codeword-2.jsonl", 0)).toMatchObject({ completed: true, summary: "PELICAN", sessionId: "1b980c62-a7b2-4194-8254-f89cb415b05c" });
  });

  const faults: Array<[string, number, RegExp]> = [
    ["usage-limit.jsonl", 173, /exhausted your daily quota/],
    ["auth-401.jsonl", 144, /API key not valid/],
    ["overloaded.jsonl", 247, /model is overloaded/],
    ["rate-limit-429.jsonl", 173, /Resource has been exhausted/],
    ["malformed.jsonl", 1, /Unterminated string in JSON/],
  ];
  for (const [name, exit, text] of faults) {
    test(`${name} (exit ${exit}): result status error becomes an error event`, () => {
      const r = parse(name, exit);
      expect(r.completed).toBe(false);
      expect(r.summary).toMatch(text);
      expect(r.errorEvents).toEqual([{ source: "result", code: "unknown", message: expect.stringMatching(text) }]);
    });
  }

  test("stderr noise never becomes an error event or summary", () => {
    const r = parse("usage-limit.jsonl", 173, fixture(import.meta.url, "usage-limit.stderr.txt"));
    expect(r.errorEvents).toHaveLength(1);
    expect(r.summary).not.toContain("Full report available");
  });

  test("killed while waiting: no result means not completed; session kept", () => {
    expect(parse("hang.jsonl", null)).toMatchObject({
      completed: false,
      sessionId: "1106e702-ccd6-4942-9376-e61f6e8c8fb6",
      summary: "gemini exited before its final result event",
    });
  });
});

describe("gemini parser edge cases", () => {
  const parse = (stdout: string, exitCode: number | null = 0) => runParser(createGeminiParser(), { stdout, exitCode });
  const say = (content: string, delta = true) => ({ type: "message", role: "assistant", content, delta });

  test("deltas join; a tool call starts a new reply; the last reply is the summary", () => {
    const r = parse(jsonl(
      { type: "init", session_id: "abc" },
      say("Let me "), say("look."), { type: "tool_use", tool_name: "read_file" }, say("All "), say("done."),
      { type: "result", status: "success", stats: { tool_calls: 1 } },
    ));
    expect(r).toMatchObject({ completed: true, summary: "All done.", toolCalls: 1, sessionId: "abc" });
  });

  test("success result with a non-zero exit is not completed", () => {
    expect(parse(jsonl(say("ok"), { type: "result", status: "success" }), 1).completed).toBe(false);
  });

  test("error events: warnings skipped, errors lifted", () => {
    const r = parse(jsonl(
      { type: "error", severity: "warning", message: "loop detected?" },
      { type: "error", severity: "error", message: "tool registry failed" },
      say("ok"), { type: "result", status: "success" },
    ));
    expect(r.errorEvents).toEqual([{ source: "error_event", message: "tool registry failed" }]);
  });

  test("user messages and tool results mentioning quotas are ignored", () => {
    const r = parse(jsonl(
      { type: "message", role: "user", content: "RESOURCE_EXHAUSTED" },
      { type: "tool_result", tool_id: "t", status: "success", output: "quota exceeded" },
      say("fine"), { type: "result", status: "success" },
    ));
    expect(r.errorEvents).toEqual([]);
  });
});
