// Several real CLIs in one relay against one scripted server that answers every wire format:
// round robin over cc cx ge op, and a rate-limited claude with codex taking over.
// Gated: RALLY_TEST_AGENT_CLIS=1 after `cd tests/agents && bun install`.

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Scenarios } from "../support/model-server.ts";
import { AGENT_CLIS } from "./cli-env.ts";
import { faultFor, PROTOCOL_OF, writePerProtocol } from "./relay-scenarios.ts";
import { agentRelay, ENABLED, git, tryLog, why } from "./relay-support.ts";

const TIMEOUT = 240_000;

describe.if(ENABLED)("real agent CLIs through rally relay: several runners", () => {
  test('--agent "cc cx ge op": one try each, in order, each over its own API', async () => {
    await using a = await agentRelay([...AGENT_CLIS], { scenario: Scenarios.text("unused") });
    a.server.setScenario(writePerProtocol(a.s.repo));
    const r = await a.run(["relay", "-i", "4", "--agent", "cc cx ge op", "Write your file"]);
    expect(r.code, why(r, a)).toBe(0);
    const tries = a.s.tries();
    expect(tries.map((t) => [t.agent_type, t.completed])).toEqual(AGENT_CLIS.map((c) => [c, true]));
    for (const [i, cli] of AGENT_CLIS.entries()) {
      const file = `by-${PROTOCOL_OF[cli]}.txt`;
      expect(tries[i]!.files_changed).toEqual([file]);
      expect(readFileSync(join(a.s.repo, file), "utf8")).toBe(`written over ${PROTOCOL_OF[cli]}\n`);
      expect(tries[i]!.session_id).toBeString();
    }
    expect(new Set(tries.map((t) => t.session_id)).size).toBe(4);
    // The server saw the four wire formats in the same order.
    const order = a.server.modelRequests().map((q) => q.protocol).filter((p, i, all) => p !== all[i - 1]);
    expect(order).toEqual(AGENT_CLIS.map((c) => PROTOCOL_OF[c]));
    expect(git(a, "status", "--porcelain", "--untracked-files=all")).toBe("");
  }, TIMEOUT);

  test("a 429 on claude cools it down and the relay carries on with codex", async () => {
    await using a = await agentRelay(["claude", "codex"], { scenario: Scenarios.text("unused"), cli: { retries: "none" } });
    a.server.setScenario(faultFor(["anthropic"], { kind: "fault", fault: "rateLimit429", options: { retryAfterSeconds: 60 } }, a.s.repo));
    const t0 = Date.now();
    const r = await a.run(["relay", "-i", "1", "--agent", "cc cx", "Write your file"]);
    expect(r.code, why(r, a)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(60_000); // did not wait out claude's cool-down
    const [limited, ok, ...rest] = a.s.tries();
    expect(rest).toEqual([]);
    expect(limited).toMatchObject({ agent_type: "claude", completed: false, category: "short_rate_limit" });
    expect(tryLog(limited!)).toContain("429");
    expect(ok).toMatchObject({ agent_type: "codex", completed: true, files_changed: ["by-openai-responses.txt"] });
  }, TIMEOUT);

  test("a usage limit on codex benches it and gemini finishes the relay", async () => {
    await using a = await agentRelay(["codex", "gemini"], { scenario: Scenarios.text("unused"), cli: { retries: "none" } });
    a.server.setScenario(faultFor(["openai-responses"], { kind: "fault", fault: "usageLimit", options: {} }, a.s.repo));
    const r = await a.run(["relay", "-i", "1", "--agent", "cx ge", "Write your file"]);
    expect(r.code, why(r, a)).toBe(0);
    expect(a.s.tries().map((t) => [t.agent_type, t.completed, t.category ?? ""])).toEqual([
      ["codex", false, "usage_limit"],
      ["gemini", true, ""],
    ]);
  }, TIMEOUT);
});
