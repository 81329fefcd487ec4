import { describe, expect, test } from "bun:test";
import { ARGV_PROMPT_MAX_BYTES } from "../prompt-input.ts";
import { fixture, invocationInput, jsonl, runParser } from "../test-support.ts";
import { codexInvocation } from "./index.ts";
import { createCodexParser } from "./parser.ts";

const EXEC = ["codex", "exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "--skip-git-repo-check"];
const EFFORT = ["-c", "model_reasoning_effort=high"];

describe("codex invocation", () => {
  const cases: Array<[string, Parameters<typeof invocationInput>[0], string[]]> = [
    ["fresh", {}, [...EXEC, "do the task"]],
    ["model + effort", { model: "gpt-5.4-mini", effortArgs: EFFORT }, [...EXEC, "--model", "gpt-5.4-mini", ...EFFORT, "do the task"]],
    ["resume: exec flags, then `resume <id>`, then the prompt", { model: "m", effortArgs: EFFORT, resumeSessionId: "sess-resume-77" },
      [...EXEC, "--model", "m", ...EFFORT, "resume", "sess-resume-77", "do the task"]],
    ["extra_args stay before `resume`", { resumeSessionId: "t1", config: { extra_args: ["-c", "model_provider=gw"] } },
      [...EXEC, "-c", "model_provider=gw", "resume", "t1", "do the task"]],
  ];
  for (const [name, input, argv] of cases) {
    test(name, () => {
      const inv = codexInvocation(invocationInput(input));
      expect(inv.argv).toEqual(argv);
      expect(inv.stdinText).toBeUndefined(); // an open stdin would be appended to the prompt
    });
  }

  test("no resume id ⇒ no resume token", () => {
    expect(codexInvocation(invocationInput()).argv).not.toContain("resume");
  });

  test("env comes from [harness.codex] env only", () => {
    expect(codexInvocation(invocationInput({ config: { env: { CODEX_HOME: "/h" } } })).env).toEqual({ CODEX_HOME: "/h" });
  });

  test("long prompt: `-` makes codex read it from stdin, fresh and resumed", () => {
    const prompt = "é".repeat(ARGV_PROMPT_MAX_BYTES / 2 + 1); // over the limit in bytes, not in chars
    const fresh = codexInvocation(invocationInput({ prompt }));
    expect(fresh.argv).toEqual([...EXEC, "-"]);
    expect(fresh.stdinText).toBe(prompt);
    const resumed = codexInvocation(invocationInput({ prompt, resumeSessionId: "t1" }));
    expect(resumed.argv).toEqual([...EXEC, "resume", "t1", "-"]);
    expect(resumed.stdinText).toBe(prompt);
  });
});

describe("codex parser over real captures (codex-cli 0.169.0)", () => {
  const parse = (name: string, exitCode: number | null) => runParser(createCodexParser(), { stdout: fixture(import.meta.url, name), exitCode });

  test("command then message: completed, thread id, tool count, usage", () => {
    expect(parse("write-file.jsonl", 0)).toEqual({
      completed: true,
      summary: "done: file written",
      sessionId: "01a210ae-01d4-73b3-ac0c-1a7301c0be39",
      toolCalls: 1,
      usage: { input_tokens: 40, output_tokens: 32, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 },
      errorEvents: [],
    });
  });

  test("resume re-emits the same thread id", () => {
    const r = parse("codeword-2.jsonl", 0);
    expect(r).toMatchObject({ completed: true, summary: "PELICAN", sessionId: "01a210ae-039c-78f1-ba14-17919f49c831" });
  });

  const faults: Array<[string, RegExp]> = [
    ["usage-limit.jsonl", /You’ve hit your usage limit.*try again at 4:09 AM\./],
    ["auth-401.jsonl", /unexpected status 401 Unauthorized/],
    ["overloaded.jsonl", /503 Service Unavailable/],
    ["rate-limit-429.jsonl", /exceeded retry limit, last status: 429/],
    ["malformed.jsonl", /stream disconnected before completion/],
  ];
  for (const [name, text] of faults) {
    test(`${name}: error + turn.failed become error events; not completed`, () => {
      const r = parse(name, 1);
      expect(r.completed).toBe(false);
      expect(r.summary).toMatch(text);
      expect(r.errorEvents.at(-1)).toEqual({ source: "result", message: expect.stringMatching(text) });
      expect(r.errorEvents.slice(0, -1).every((e) => e.source === "error_event")).toBe(true);
      // the "Model metadata … not found" warning item is not an error
      expect(r.errorEvents.some((e) => e.message.includes("Model metadata"))).toBe(false);
    });
  }

  test("killed mid-turn: not completed, thread id kept for resume", () => {
    const r = parse("hang.jsonl", null);
    expect(r).toMatchObject({ completed: false, sessionId: "01a210ae-0924-7f82-8abd-9b32159ac3fe", errorEvents: [] });
    expect(r.summary).toBe("codex exited before completing its turn");
  });
});

describe("codex parser edge cases", () => {
  const parse = (stdout: string, exitCode: number | null = 0) => runParser(createCodexParser(), { stdout, exitCode });
  const item = (type: string, extra: object = {}) => ({ type: "item.completed", item: { id: "i", type, ...extra } });

  test("only workspace actions count as tool calls (spec X2)", () => {
    const r = parse(jsonl(
      { type: "thread.started", thread_id: "codex-session-123" },
      item("command_execution"), item("file_change"), item("agent_message", { text: "x" }), item("reasoning", { text: "hm" }),
      item("command_execution"), { type: "turn.completed", usage: {} },
    ));
    expect(r.toolCalls).toBe(3);
    expect(r.sessionId).toBe("codex-session-123");
  });

  test("turn.completed with exit 1 is not completed; exit 0 without turn.completed neither", () => {
    const done = jsonl(item("agent_message", { text: "ok" }), { type: "turn.completed" });
    expect(parse(done, 1).completed).toBe(false);
    expect(parse(jsonl(item("agent_message", { text: "ok" })), 0).completed).toBe(false);
  });

  test("usage adds up over several turns", () => {
    const turn = { type: "turn.completed", usage: { input_tokens: 10, output_tokens: 2, cached_input_tokens: 4 } };
    expect(parse(jsonl(turn, turn)).usage).toEqual({ input_tokens: 20, output_tokens: 4, cache_read_tokens: 8 });
  });

  test("command output that talks about limits is not an error event", () => {
    const r = parse(jsonl(item("command_execution", { aggregated_output: "You've hit your usage limit" }), { type: "turn.completed" }));
    expect(r.errorEvents).toEqual([]);
    expect(r.completed).toBe(true);
  });

  test("ANSI stripped from the last agent message", () => {
    expect(parse(jsonl(item("agent_message", { text: "\x1b[1mbold\x1b[0m" }), { type: "turn.completed" })).summary).toBe("bold");
  });
});
