import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { BUILTIN_DESCRIPTORS } from "./builtin.ts";
import { codexLivenessProbe } from "./codex/index.ts";
import { customHarness } from "./custom.ts";
import { lineFeed } from "./line-feed.ts";
import type { HarnessConfig } from "../config/schema.ts";
import type { LivenessProbeInput } from "./types.ts";

// The liveness-probe hook (spec 04 §7): only codex can probe; its probe asks the conversation the
// parser captured live (forked, so the running agent's own session is untouched), through the
// same provider flags and env as the agent itself.

const CODEX_RUN = readFileSync(new URL("./codex/fixtures/write-file.jsonl", import.meta.url), "utf8");
const EXEC = ["codex", "exec", "--json", "--dangerously-bypass-approvals-and-sandbox", "--skip-git-repo-check", "--ephemeral"];
const PROMPT = "Respond with exactly OK.";

function probeInput(over: Partial<Omit<LivenessProbeInput, "config">> & { config?: Partial<HarnessConfig> } = {}): LivenessProbeInput {
  const { config, ...rest } = over;
  return {
    sessionId: "thread-9", model: "", workspace: "/work/repo", answerPath: "/tmp/rally-probe-x/answer.txt",
    ...rest,
    config: { models: {}, env: {}, extra_args: [], ...config },
  };
}

describe("which harnesses can probe", () => {
  test("codex only; the other built-ins and custom harnesses report no support", () => {
    const probing = Object.entries(BUILTIN_DESCRIPTORS).filter(([, d]) => d.livenessProbe).map(([id]) => id);
    expect(probing).toEqual(["codex"]);
    expect(customHarness("mine", { models: {}, env: {}, extra_args: [], command: ["mine", "$PROMPT"] }).livenessProbe).toBeUndefined();
  });

  test("a harness that can probe has its parser expose the session id while the stream is still running", () => {
    for (const d of Object.values(BUILTIN_DESCRIPTORS).filter((h) => h.livenessProbe)) {
      const parser = d.parser();
      expect(parser.sessionId?.()).toBeUndefined();
      const firstLine = CODEX_RUN.slice(0, CODEX_RUN.indexOf("\n") + 1);
      lineFeed(parser)!.push("stdout", new TextEncoder().encode(firstLine)); // only `thread.started` so far; no finish()
      expect(parser.sessionId?.()).toBe("01a210ae-01d4-73b3-ac0c-1a7301c0be39");
    }
  });
});

describe("codex probe", () => {
  const cases: Array<[string, Parameters<typeof probeInput>[0], string[]]> = [
    ["exec flags, --ephemeral and -o, then `fork <session>` and the question", {},
      [...EXEC, "-o", "/tmp/rally-probe-x/answer.txt", "fork", "thread-9", PROMPT]],
    ["the model when one is set", { model: "gpt-5.4-mini" },
      [...EXEC, "-o", "/tmp/rally-probe-x/answer.txt", "--model", "gpt-5.4-mini", "fork", "thread-9", PROMPT]],
    ["extra_args (provider overrides) stay before the subcommand, as for the agent", { config: { extra_args: ["-c", "model_provider=gw"] } },
      [...EXEC, "-o", "/tmp/rally-probe-x/answer.txt", "-c", "model_provider=gw", "fork", "thread-9", PROMPT]],
  ];
  for (const [name, input, argv] of cases) {
    test(name, () => {
      expect(codexLivenessProbe(probeInput(input)).argv).toEqual(argv);
    });
  }

  test("env comes from [harness.codex] env, like the agent's", () => {
    expect(codexLivenessProbe(probeInput({ config: { env: { CODEX_HOME: "/h", MOCK_API_KEY: "k" } } })).env).toEqual({ CODEX_HOME: "/h", MOCK_API_KEY: "k" });
  });

  test("alive only when the trimmed answer is exactly OK", () => {
    const { isAlive } = codexLivenessProbe(probeInput());
    const table: Array<[string, boolean]> = [["OK", true], ["  OK\n", true], ["ok", false], ["OK.", false], ["NOPE", false], ["", false], ["OK OK", false]];
    for (const [answer, alive] of table) expect([answer, isAlive(answer)]).toEqual([answer, alive]);
  });

  test("failures that never reached the model are 'could not ask', not a dead agent", () => {
    const { couldNotAsk } = codexLivenessProbe(probeInput());
    const table: Array<[number | null, string, boolean]> = [
      [2, "error: unexpected argument 'fork' found", true], // clap usage error: an older codex
      [1, "Error: thread/resume: thread/resume failed: thread 01a2 already has an active writer (code -32600)", true],
      [1, "Error: unexpected status 401 Unauthorized", false],
      [1, "Error: thread/resume: thread/resume failed: no rollout found for thread id 01a2", false],
      [1, "", false],
    ];
    for (const [exitCode, stderr, cannot] of table) expect([stderr, couldNotAsk!({ exitCode, stderr }) !== undefined]).toEqual([stderr, cannot]);
  });
});
