import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "pathe";
import { MAIN } from "../support/rally.ts";
import { jsonl, relayLogText, relaySandbox, type RelaySandbox } from "../support/relay-fixture.ts";

const status = (s: RelaySandbox) => jsonl(join(s.repo, ".rally/state/agent_status.jsonl"));
const relayLog = relayLogText;

describe("resilience through rally relay", () => {
  test("seed 2g: repeated infra failures pause the agent, and the relay waits", async () => {
    await using s = await relaySandbox();
    s.writeConfig("[reliability]\nretry_budget = 2");
    const proc = Bun.spawn([process.execPath, MAIN, "relay", "-i", "1", "--agent", "mine", "t"], {
      cwd: s.repo, env: { ...s.env, AGENT_SCRIPT: "err:Error: connect ECONNREFUSED 127.0.0.1:443,exit:1" }, stdout: "pipe", stderr: "pipe", stdin: "ignore",
    });
    const deadline = Date.now() + 20_000;
    while (!relayLog(s).includes("all agents paused, waiting") && Date.now() < deadline) await Bun.sleep(100);
    proc.kill("SIGINT");
    await proc.exited;
    expect(relayLog(s)).toMatch(/all agents paused, waiting (59m|1h)/);
    const paused = status(s).filter((e) => e.event_type === "paused");
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatchObject({ agent_type: "mine", reason: "2 infra failures in one run" });
    expect(s.tries().map((t) => t.category)).toEqual(["transient_infra", "transient_infra"]);
  });

  test("a plain agent failure rotates but never pauses", async () => {
    await using s = await relaySandbox();
    s.writeConfig("[reliability]\nretry_budget = 2");
    const r = await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "err:something broke,exit:1" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("all agents unavailable");
    expect(status(s).filter((e) => e.event_type === "paused")).toEqual([]);
  });

  test("a usage limit benches the scope until the reset; the relay waits and resumes by itself", async () => {
    await using s = await relaySandbox();
    const t0 = Date.now();
    const r = await s.run(["relay", "-i", "1", "--agent", "mine", "t"], {
      env: { AGENT_SCRIPT_1: "err:You've hit your usage limit · resets in 3s,exit:1", AGENT_SCRIPT: "append:a.txt=1,say:ok" },
    });
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2500);
    const [limited, ok] = s.tries();
    expect(limited).toMatchObject({ completed: false, category: "usage_limit" });
    expect(limited!.fail_reason).toStartWith("usage limit");
    expect(ok).toMatchObject({ completed: true });
    const benched = status(s).find((e) => e.event_type === "benched");
    expect(benched).toMatchObject({ agent_type: "mine", quota_scope: "mine", reason: "usage limit reached" });
    expect(relayLog(s)).toContain("all agents paused, waiting");
    expect(r.stderr).toContain("all agents paused, waiting");
    expect(r.stderr).toContain("`rally relay --new` starts over with every agent's pauses and benches cleared");
  });

  test("a short rate limit cools that runner down while the relay carries on with another", async () => {
    await using s = await relaySandbox({ a: "", b: "" });
    const t0 = Date.now();
    const r = await s.run(["relay", "-i", "2", "--agent", "a b", "t"], {
      env: { AGENT_SCRIPT_1: "err:Rate limit exceeded. Retry after 60 seconds,exit:1", AGENT_SCRIPT: "append:a.txt=1" },
    });
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(s.tries().map((t) => [t.agent_type, t.completed, t.category ?? ""])).toEqual([
      ["a", false, "short_rate_limit"],
      ["b", true, ""],
      ["b", true, ""],
    ]);
    expect(status(s)).toEqual([]); // a cooldown is not a pause
  });

  test("false positive: an agent whose output says 'rate limit exceeded' and succeeds is a success", async () => {
    await using s = await relaySandbox();
    const r = await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "write:notes.md=rate limit exceeded,say:wrote notes.md: rate limit exceeded" });
    expect(r.code).toBe(0);
    expect(s.tries()[0]).toMatchObject({ completed: true, outcome: "completed" });
    expect(status(s)).toEqual([]);
  });
});

test("a usage limit whose printed reset is already past still benches for a minute, then waits (not 'unavailable')", async () => {
  await using s = await relaySandbox();
  // codex prints resets to the minute: a reset seconds away can read as a time just passed.
  const past = new Date(Date.now() - 60_000);
  const clock = past.toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit", timeZone: "UTC" });
  const relay = s.spawn(["relay", "-i", "1", "--agent", "mine", "t"], {
    env: { TZ: "UTC", AGENT_SCRIPT_1: `err:You've hit your usage limit. Upgrade to Pro or try again at ${clock}.,exit:1`, AGENT_SCRIPT: "append:a.txt=1" },
  });
  await s.waitFor(() => relayLogText(s).includes("all agents paused, waiting"));
  relay.kill("SIGINT");
  expect(await relay.exited).toBe(130);
  expect(relayLogText(s)).not.toContain("all agents unavailable");
  expect(s.tries()[0]).toMatchObject({ category: "usage_limit" });
}, 30_000);
