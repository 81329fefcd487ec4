import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "pathe";
import { jsonl, relayLogText, relaySandbox, type RelaySandbox } from "../support/relay-fixture.ts";

// Freeze detection through `rally relay`: real processes, real /proc, short thresholds.

const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
afterAll(() => silent.stop(true));

const relayLog = relayLogText;

const hasBash = Bun.which("bash") !== null;

describe("freeze detection in a relay", () => {
  test("a silent agent with no connections is classic-frozen, stopped, and the relay rotates", async () => {
    await using s = await relaySandbox({ quiet: "", good: "" });
    s.writeConfig("[reliability]\nstall_threshold_secs = 2\nretry_budget = 1");
    const t0 = Date.now();
    const r = await s.run(["relay", "-i", "1", "--agent", "quiet good", "t"], {
      env: { AGENT_SCRIPT_1: "say:thinking,sleep:60000", AGENT_SCRIPT: "append:a.txt=1" },
    });
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const [frozen, ok] = s.tries();
    expect(frozen).toMatchObject({ agent_type: "quiet", completed: false, category: "stalled" });
    expect(ok).toMatchObject({ agent_type: "good", completed: true });
    expect(relayLog(s)).toContain("freeze detected");
    const rows = jsonl(frozen!.log_path.replace(/\.log$/, ".netstat.jsonl"));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(["connections", "io_bytes", "log_silent_s", "syscall_bytes", "ts"]);
    expect(rows.at(-1)!.connections).toBe(0);
    expect(jsonl(join(s.repo, ".rally/state/agent_status.jsonl"))).toMatchObject([{ agent_type: "quiet", event_type: "frozen" }]);
  }, 30_000);

  test("when every agent froze the relay ends with 'all agents frozen'", async () => {
    await using s = await relaySandbox();
    s.writeConfig("[reliability]\nstall_threshold_secs = 2\nretry_budget = 1");
    const r = await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "sleep:60000" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("relay failed: all agents frozen");
    expect(s.relays()[0]!.ended_at).toBeString();
  }, 30_000);

  test.if(hasBash)("an agent holding an idle TCP connection is connected-frozen after the I/O window", async () => {
    await using s = await relaySandbox({});
    const port = silent.port;
    s.writeConfig(
      `[reliability]\nstall_threshold_secs = 2\nconnected_idle_secs = 3\nretry_budget = 1\n` +
        `[harness.held]\ncommand = ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${port}; echo connected; sleep 60", "$PROMPT"]\n`,
    );
    const t0 = Date.now();
    const relay = s.spawn(["relay", "-i", "1", "--agent", "held", "t"]);
    await s.waitFor(() => s.tries().length > 0, 25_000);
    relay.kill("SIGINT");
    await relay.exited;
    const [t] = s.tries();
    expect(t).toMatchObject({ agent_type: "held", completed: false, category: "stalled" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3_000);
    const rows = jsonl(t!.log_path.replace(/\.log$/, ".netstat.jsonl"));
    expect(rows.some((r) => r.connections >= 1)).toBe(true);
    expect(relayLog(s)).toMatch(/freeze detected: .*connect/i);
  }, 40_000);
});
