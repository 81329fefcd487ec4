import { describe, expect, test } from "bun:test";
import { fixture, invocationInput, jsonl, runParser } from "../test-support.ts";
import { opencodeInvocation } from "./index.ts";
import { createOpencodeParser } from "./parser.ts";

const RUN = ["opencode", "run", "--format", "json"];

describe("opencode invocation", () => {
  const cases: Array<[string, Parameters<typeof invocationInput>[0], string[]]> = [
    ["fresh", {}, [...RUN, "--dir", "/work/repo"]],
    ["model + variant", { model: "zai-coding-plan/glm-5.1", effortArgs: ["--variant", "max"] },
      [...RUN, "--model", "zai-coding-plan/glm-5.1", "--variant", "max", "--dir", "/work/repo"]],
    ["resume", { resumeSessionId: "ses-resume-99" }, [...RUN, "--dir", "/work/repo", "--session", "ses-resume-99"]],
    ["extra_args with the other flags", { config: { extra_args: ["--agent", "build"] } }, [...RUN, "--agent", "build", "--dir", "/work/repo"]],
  ];
  for (const [name, input, argv] of cases) {
    test(name, () => {
      const inv = opencodeInvocation(invocationInput(input));
      expect(inv.argv).toEqual(argv);
      // the prompt always goes on stdin: as an argument opencode wraps it in literal quotes
      expect(inv.stdinText).toBe("do the task");
    });
  }

  test("permission env, overridable by [harness.opencode] env", () => {
    expect(opencodeInvocation(invocationInput()).env).toEqual({ OPENCODE_PERMISSION: '{"*":"allow"}' });
    expect(opencodeInvocation(invocationInput({ config: { env: { OPENCODE_PERMISSION: "{}", X: "1" } } })).env).toEqual({ OPENCODE_PERMISSION: "{}", X: "1" });
  });

  test("a 1 MiB prompt never touches argv", () => {
    const prompt = "z".repeat(1024 * 1024);
    const inv = opencodeInvocation(invocationInput({ prompt }));
    expect(inv.argv.join(" ").length).toBeLessThan(200);
    expect(inv.stdinText).toBe(prompt);
  });
});

describe("opencode parser over real captures (opencode 1.18.33)", () => {
  const parse = (name: string, exitCode: number | null) => runParser(createOpencodeParser(), { stdout: fixture(import.meta.url, name), exitCode });

  test("tool step then text step: completed, session, tools, usage summed over steps", () => {
    expect(parse("write-file.jsonl", 0)).toEqual({
      completed: true,
      summary: "done: file written",
      sessionId: "ses_def513c66ffe7CuL1XU9Kzr5vm",
      toolCalls: 1,
      usage: { input_tokens: 20, output_tokens: 33, reasoning_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 },
      costUsd: 0,
      errorEvents: [],
    });
  });

  test("resumed session keeps its id", () => {
    expect(parse("codeword-2.jsonl", 0)).toMatchObject({ completed: true, summary: "PELICAN", sessionId: "ses_def512e07ffeNcAN2Ol3gm2OHT" });
  });

  const faults: Array<[string, { code: string; status?: number; text: RegExp; retryAfterSecs?: number }]> = [
    ["auth-401.jsonl", { code: "APIError", status: 401, text: /Incorrect API key provided/ }],
    ["overloaded.jsonl", { code: "APIError", status: 503, text: /overloaded or not ready/ }],
    ["usage-limit.jsonl", { code: "APIError", status: 429, text: /hit your usage limit/ }],
    ["rate-limit-429.jsonl", { code: "APIError", status: 429, text: /Rate limit reached/, retryAfterSecs: 1 }],
    ["malformed.jsonl", { code: "UnknownError", text: /^JSON parsing failed: Text: .*\nError message: JSON Parse error: Unterminated string/s }],
  ];
  for (const [name, want] of faults) {
    test(`${name}: the error event is lifted with name and status`, () => {
      const r = parse(name, 1);
      expect(r.completed).toBe(false);
      expect(r.sessionId).toStartWith("ses_");
      expect(r.summary).toStartWith("opencode error: ");
      expect(r.summary).not.toContain("\n");
      expect(r.errorEvents).toEqual([
        { source: "error_event", code: want.code, message: expect.stringMatching(want.text), status: want.status, retryAfterSecs: want.retryAfterSecs },
      ]);
    });
  }
});

describe("opencode parser edge cases", () => {
  const parse = (stdout: string, exitCode: number | null = 0) => runParser(createOpencodeParser(), { stdout, exitCode });
  const ev = (type: string, part: object = {}) => ({ type, sessionID: "ses_test123", part });
  const text = (t: string) => ev("text", { type: "text", text: t });
  const finish = (reason: string, cost = 0) => ev("step_finish", { type: "step-finish", reason, cost, tokens: { input: 1, output: 1 } });

  test("text parts of one step join; the last speaking step is the summary (spec O5)", () => {
    const r = parse(jsonl(ev("step_start"), text("first "), ev("tool_use", { type: "tool" }), text("second"), finish("stop")));
    expect(r).toMatchObject({ summary: "first second", toolCalls: 1, completed: true, sessionId: "ses_test123" });
    const two = parse(jsonl(ev("step_start"), text("plan"), finish("tool-calls"), ev("step_start"), text("Done! file created."), finish("stop")));
    expect(two.summary).toBe("Done! file created.");
  });

  test("costs and tokens add up across steps", () => {
    const r = parse(jsonl(ev("step_start"), finish("tool-calls", 0.01), ev("step_start"), text("ok"), finish("stop", 0.02)));
    expect(r.costUsd).toBeCloseTo(0.03, 9);
    expect(r.usage).toEqual({ input_tokens: 2, output_tokens: 2 });
  });

  test("only a final 'stop' step with exit 0 is completed", () => {
    expect(parse(jsonl(ev("step_start"), text("hi"), finish("stop")), 1).completed).toBe(false);
    expect(parse(jsonl(ev("step_start"), text("hi"), finish("tool-calls"))).completed).toBe(false);
    // malformed-cut loops: endless "unknown" steps and no error
    expect(parse(jsonl(ev("step_start"), finish("unknown"), ev("step_start"), finish("unknown"))).completed).toBe(false);
  });

  test("bare error event and name-only error", () => {
    expect(parse(jsonl({ type: "error" }), 1).summary).toBe("opencode error: unknown error");
    const r = parse(jsonl({ type: "error", error: { name: "UnknownError" } }), 1);
    expect(r.summary).toBe("opencode error: UnknownError");
    expect(r.errorEvents[0]).toMatchObject({ code: "UnknownError", message: "UnknownError" });
  });

  test("tool output about rate limits is not an error event", () => {
    const r = parse(jsonl(ev("tool_use", { type: "tool", state: { output: "429 rate limit exceeded" } }), text("ok"), finish("stop")));
    expect(r.errorEvents).toEqual([]);
  });

  test("empty output: empty summary (the engine falls back to the launch error / stdout tail)", () => {
    expect(parse("", 1)).toMatchObject({ completed: false, summary: "", errorEvents: [] });
  });
});

describe("opencode no-progress signal", () => {
  const stepStart = (i: number) => JSON.stringify({ type: "step_start", sessionID: "ses_x", part: { id: `prt_${i}`, type: "step-start" } });
  test("many bare step restarts in a row are reported as stuck; any output resets the count", async () => {
    const { createOpencodeParser, EMPTY_STEP_LIMIT } = await import("./parser.ts");
    const p = createOpencodeParser();
    for (let i = 0; i < EMPTY_STEP_LIMIT - 1; i++) p.onLine!("stdout", stepStart(i));
    expect(p.stuck!()).toBeUndefined();
    p.onLine!("stdout", JSON.stringify({ type: "text", sessionID: "ses_x", part: { type: "text", text: "working" } }));
    for (let i = 0; i < EMPTY_STEP_LIMIT - 1; i++) p.onLine!("stdout", stepStart(i));
    expect(p.stuck!()).toBeUndefined();
    p.onLine!("stdout", stepStart(99));
    expect(p.stuck!()).toContain(`restarted its step ${EMPTY_STEP_LIMIT} times without output`);
  });
});
