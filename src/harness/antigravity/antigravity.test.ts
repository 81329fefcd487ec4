import { describe, expect, test } from "bun:test";
import { fixture, invocationInput, runParser } from "../test-support.ts";
import { antigravityInvocation } from "./index.ts";
import { createAntigravityParser } from "./parser.ts";

const HEAD = ["agy", "--log-file=/dev/stderr", "--print-timeout=24h0m0s", "--dangerously-skip-permissions"];

describe("antigravity invocation", () => {
  const cases: Array<[string, Parameters<typeof invocationInput>[0], string[]]> = [
    ["fresh (model is set through settings.json, never argv)", { model: "Gemini 3.5 Flash (High)" }, [...HEAD, "--print", "do the task"]],
    ["resume", { resumeSessionId: "conv-abc-123" }, [...HEAD, "--conversation=conv-abc-123", "--print", "do the task"]],
    ["extra_args before --print", { config: { extra_args: ["--verbose"] } }, [...HEAD, "--verbose", "--print", "do the task"]],
    ["a prompt starting with '-' follows '--'", { prompt: "-x marks the spot" }, [...HEAD, "--print", "--", "-x marks the spot"]],
  ];
  for (const [name, input, argv] of cases) {
    test(name, () => {
      const inv = antigravityInvocation(invocationInput(input));
      expect(inv.argv).toEqual(argv);
      expect(inv.stdinText).toBeUndefined();
      expect(inv.notes).toEqual([]);
    });
  }

  test("no resume id ⇒ no --conversation=", () => {
    expect(antigravityInvocation(invocationInput()).argv.some((a) => a.startsWith("--conversation="))).toBe(false);
  });

  test("env from [harness.antigravity] only", () => {
    expect(antigravityInvocation(invocationInput({ config: { env: { HTTPS_PROXY: "http://p" } } })).env).toEqual({ HTTPS_PROXY: "http://p" });
  });

  test("an over-long prompt stays an argument (agy has no stdin input) and a note says why it may fail", () => {
    const inv = antigravityInvocation(invocationInput({ prompt: "p".repeat(200 * 1024) }));
    expect(inv.argv.at(-1)).toHaveLength(200 * 1024);
    expect(inv.notes[0]).toContain("204800 bytes");
  });
});

describe("antigravity parser", () => {
  const parse = (name: string, exitCode: number | null) =>
    runParser(createAntigravityParser(), {
      stdout: fixture(import.meta.url, `${name}.stdout.txt`),
      stderr: fixture(import.meta.url, `${name}.stderr.txt`),
      exitCode,
    });

  test("plain answer, conversation id from the log on stderr (spec A3/A4)", () => {
    expect(parse("print", 0)).toEqual({
      completed: true,
      summary: "I created hello.txt with the greeting.",
      sessionId: "8eb5b287-eadb-4fc6-ae08-ae5f1ae773f3",
      toolCalls: 0,
      errorEvents: [],
    });
  });

  test("resumed conversation: same id; the whole answer is the summary", () => {
    const r = parse("resumed", 0);
    expect(r.sessionId).toBe("8eb5b287-eadb-4fc6-ae08-ae5f1ae773f3");
    expect(r.summary).toContain("PELICAN");
  });

  test("quota failure: not completed, no structured error events (the classifier reads stderr)", () => {
    expect(parse("quota", 1)).toMatchObject({ completed: false, summary: "", sessionId: "0c1d2e3f-4a5b-4c6d-8e7f-901234567890", errorEvents: [] });
  });

  test("exit 0 with no answer is not completed; ANSI stripped", () => {
    expect(runParser(createAntigravityParser(), { stdout: "\n\n", exitCode: 0 }).completed).toBe(false);
    expect(runParser(createAntigravityParser(), { stdout: "\x1b[32mok\x1b[0m\n", exitCode: 0 }).summary).toBe("ok");
  });

  test("a conversation line on stdout is captured but not part of the answer", () => {
    const r = runParser(createAntigravityParser(), { stdout: "Print mode: conversation=abc-123, sending message\nanswer\n", exitCode: 0 });
    expect(r).toMatchObject({ sessionId: "abc-123", summary: "answer" });
  });
});
