import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { BUILTIN_DESCRIPTORS } from "./builtin.ts";
import { customHarness } from "./custom.ts";
import { BUILTIN_HARNESS_IDS, HARNESS_BINARIES } from "./ids.ts";
import { invocationInput, runParser, type RecordedOutput } from "./test-support.ts";
import type { HarnessDescriptor } from "./types.ts";

// Resume is only real when both ends are wired: the parser captures the session id from what the
// CLI really prints, and the invocation hands that same id back. A harness that claims
// caps.resume must have a realistic recorded run here, or this test fails.

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

const RECORDED_RUNS: Record<string, RecordedOutput> = {
  claude: { stdout: read("./claude/fixtures/write-file.jsonl"), exitCode: 0 },
  codex: { stdout: read("./codex/fixtures/write-file.jsonl"), exitCode: 0 },
  gemini: { stdout: read("./gemini/fixtures/write-file.jsonl"), exitCode: 0 },
  opencode: { stdout: read("./opencode/fixtures/write-file.jsonl"), exitCode: 0 },
  antigravity: { stdout: read("./antigravity/fixtures/print.stdout.txt"), stderr: read("./antigravity/fixtures/print.stderr.txt"), exitCode: 0 },
};

function passesId(argv: string[], id: string): boolean {
  return argv.some((arg) => arg === id || arg.endsWith(`=${id}`));
}

describe("built-in harness contract", () => {
  test("every built-in id has a descriptor with the right binary", () => {
    for (const id of BUILTIN_HARNESS_IDS) {
      const d = BUILTIN_DESCRIPTORS[id];
      expect(d?.id).toBe(id);
      expect(d.bin).toBe(HARNESS_BINARIES[id]);
      expect(d.invocation(invocationInput()).argv[0]).toBe(d.bin);
    }
  });

  test("every built-in applies [harness.X] env and extra_args", () => {
    for (const id of BUILTIN_HARNESS_IDS) {
      const inv = BUILTIN_DESCRIPTORS[id].invocation(
        invocationInput({ prompt: "PROMPT-TEXT", config: { env: { RALLY_TEST_VAR: "1" }, extra_args: ["--extra-flag"] } }),
      );
      expect(inv.env.RALLY_TEST_VAR).toBe("1");
      const flag = inv.argv.indexOf("--extra-flag");
      expect(flag).toBeGreaterThan(0);
      const prompt = inv.argv.indexOf("PROMPT-TEXT");
      // claude and gemini take the prompt right after -p, where no variadic extra flag can swallow it;
      // for the CLIs whose prompt is the last positional, extra flags must come before it.
      if (prompt >= 0 && id !== "claude" && id !== "gemini") expect(flag).toBeLessThan(prompt);
      if (prompt < 0) expect(inv.stdinText).toBe("PROMPT-TEXT");
    }
  });

  const all: Array<[string, HarnessDescriptor]> = [
    ...Object.entries(BUILTIN_DESCRIPTORS),
    ["custom", customHarness("mine", { models: {}, env: {}, extra_args: [], command: ["mine", "$PROMPT"] })],
  ];
  for (const [name, descriptor] of all) {
    test(`${name}: ${descriptor.caps.resume ? "claims resume ⇒ captures a session id from a real run and passes it back" : "no resume ⇒ never passes a session id"}`, () => {
      if (!descriptor.caps.resume) {
        const inv = descriptor.invocation(invocationInput({ resumeSessionId: "sess-should-not-appear" }));
        expect(passesId(inv.argv, "sess-should-not-appear")).toBe(false);
        return;
      }
      const run = RECORDED_RUNS[name];
      expect(run, `${name} claims caps.resume but has no recorded run in RECORDED_RUNS`).toBeDefined();
      const sessionId = runParser(descriptor.parser(), run!).sessionId;
      expect(sessionId, `${name}: parser captured no session id`).toBeTruthy();
      const resumed = descriptor.invocation(invocationInput({ resumeSessionId: sessionId }));
      expect(passesId(resumed.argv, sessionId!), `${name}: resumed argv does not pass ${sessionId}`).toBe(true);
      const fresh = descriptor.invocation(invocationInput());
      expect(passesId(fresh.argv, sessionId!)).toBe(false);
    });
  }
});
