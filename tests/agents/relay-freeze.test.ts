// A real agent CLI hung on the scripted server (connected, silent) is detected by rally's /proc
// sampler as connected-frozen, stopped, and the relay moves on to the next runner.
// Gated: RALLY_TEST_AGENT_CLIS=1 after `cd tests/agents && bun install`.

import { describe, expect, test } from "bun:test";
import { Scenarios } from "../support/model-server.ts";
import { harnessToml, jsonl, relayLogText } from "../support/relay-fixture.ts";
import { AGENT_CLIS } from "./cli-env.ts";
import { agentRelay, ALIAS, ENABLED } from "./relay-support.ts";

// Longer than any CLI's start-up here (opencode takes 3–6 s before it connects), so the freeze
// found is the hang itself, not a slow start.
const RELIABILITY = "[reliability]\nstall_threshold_secs = 10\nconnected_idle_secs = 4\nretry_budget = 1\n";

/**
 * A busy machine: a short-lived process started every 50 ms, as builds, shells and editors do.
 * Each one opens /etc/ld.so.cache, which codex's file watcher (it watches /etc) is told about.
 */
function busyMachine(): Disposable {
  const timer = setInterval(() => Bun.spawn(["true"], { stdout: "ignore", stderr: "ignore" }), 50);
  return { [Symbol.dispose]: () => clearInterval(timer) };
}

describe.if(ENABLED)("freeze detection on real CLIs", () => {
  for (const cli of AGENT_CLIS) {
    test(`${cli} hung on the server is connected-frozen on a busy machine; the relay moves on`, async () => {
      await using a = await agentRelay([cli], { scenario: Scenarios.hang(), toml: `${RELIABILITY}\n${harnessToml("mine")}` });
      a.env.AGENT_SCRIPT = "append:after-freeze.txt=1"; // the fallback runner (scripted agent) changes a file
      using _busy = busyMachine();
      const r = await a.run(["relay", "-i", "1", "--agent", `${ALIAS[cli]} mine`, "Say hello"], 120_000);
      const [hung, next] = a.s.tries();
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0, stderr: "" });
      expect(hung).toMatchObject({ agent_type: cli, completed: false, category: "stalled" });
      expect(next).toMatchObject({ agent_type: "mine", completed: true });
      expect(relayLogText(a.s)).toMatch(/freeze detected: .*connect/i);
      const rows = jsonl(hung!.log_path.replace(/\.log$/, ".netstat.jsonl"));
      expect(rows.some((row) => row.connections >= 1)).toBe(true);
    }, 180_000);
  }
});
