import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "pathe";
import { HINT_TIERS } from "../../src/monitor/index.ts";
import { MAIN } from "../support/rally.ts";
import { livePidsWithEnv } from "../support/processes.ts";
import { relaySandbox, type RelaySandbox } from "../support/relay-fixture.ts";
import { shellQuote, tmuxSession } from "../support/tmux.ts";

// The live relay view and its keyboard controls in a real pseudo-terminal (tmux).

const rallyCmd = (s: RelaySandbox, args: string) =>
  `cd ${shellQuote(s.repo)} && stty -a > ${shellQuote(join(s.dir, "stty-before"))}; ${shellQuote(process.execPath)} ${shellQuote(MAIN)} ${args}; echo "EXIT=$?"; stty -a > ${shellQuote(join(s.dir, "stty-after"))}`;

async function sessionFor(s: RelaySandbox, args: string, width: number, script: Record<string, string>) {
  return tmuxSession(rallyCmd(s, args), { width, env: { ...s.env, ...script } });
}

/** The fake agent has started (it records each invocation first thing). */
const agentRunning = (s: RelaySandbox) => s.waitFor(() => s.invocations().length > 0);

const sttyUnchanged = (s: RelaySandbox) =>
  expect(readFileSync(join(s.dir, "stty-after"), "utf8")).toBe(readFileSync(join(s.dir, "stty-before"), "utf8"));

describe("relay in a terminal", () => {
  test.each([120, 40])("renders header, hint, live status and footer at %i columns without wrapping", async (width) => {
    await using s = await relaySandbox();
    await using t = await sessionFor(s, "relay -i 1 --agent mine t", width, { AGENT_SCRIPT: "say:working,sleep:2500,append:a.txt=1" });
    const live = await t.waitFor("⏱");
    expect(live).toContain("[1/1] mine");
    const hint = HINT_TIERS.find((h) => h.length <= width)!;
    expect(live).toContain(hint);
    const screen = await t.waitFor("EXIT=");
    expect(screen).toContain("✓ passed");
    expect(screen).toContain("EXIT=0");
    for (const line of screen.split("\n")) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(width);
    sttyUnchanged(s);
  }, 30_000);

  test("a single Ctrl+S does nothing; a double press skips the running try", async () => {
    await using s = await relaySandbox({ a: "", b: "" });
    await using t = await sessionFor(s, "relay -i 1 --agent 'a b' t", 120, { AGENT_SCRIPT_1: "say:slow,sleep:30000", AGENT_SCRIPT: "append:a.txt=1" });
    await t.waitFor("⏱");
    t.keys("C-s");
    await t.waitFor("press again to confirm");
    await Bun.sleep(4500); // the arming expires: the next press arms again instead of acting
    t.keys("C-s");
    await Bun.sleep(500);
    expect(s.tries()).toEqual([]);
    t.keys("C-s");
    const screen = await t.waitFor("EXIT=");
    expect(screen).toContain("source: skip");
    expect(s.tries().map((x) => [x.agent_type, x.outcome])).toEqual([["a", "cancelled"], ["b", "completed"]]);
    sttyUnchanged(s);
  }, 40_000);

  test("Ctrl+P twice pauses the agent; Enter resumes the same run", async () => {
    await using s = await relaySandbox();
    await using t = await sessionFor(s, "relay -i 1 --agent mine t", 120, { AGENT_SCRIPT_1: "say:slow,sleep:30000", AGENT_SCRIPT: "append:a.txt=1" });
    await t.waitFor("⏱");
    await agentRunning(s); // the status line shows at spawn, before the agent itself is up
    t.keys("C-p");
    t.keys("C-p");
    await t.waitFor("Paused — press Enter to resume");
    t.keys("Enter");
    const screen = await t.waitFor("EXIT=");
    expect(screen).toContain("EXIT=0");
    expect(s.tries().map((x) => [x.run_id, x.outcome])).toEqual([[1, "interrupted"], [1, "completed"]]);
  }, 40_000);

  test("Ctrl+X twice lets the current try finish, then stops", async () => {
    await using s = await relaySandbox();
    await using t = await sessionFor(s, "relay -i 3 --agent mine t", 120, { AGENT_SCRIPT: "say:working,sleep:2000,append:a.txt=1" });
    await t.waitFor("⏱");
    await agentRunning(s); // the status line shows at spawn, before the agent itself is up
    t.keys("C-x");
    t.keys("C-x");
    const screen = await t.waitFor("EXIT=");
    expect(screen).toContain("EXIT=0");
    expect(s.tries().map((x) => x.outcome)).toEqual(["completed"]);
    expect(s.relays()[0]!.ended_at).toBeUndefined();
    sttyUnchanged(s);
  }, 40_000);

  test("Ctrl+C twice quits now: the agent's whole group is gone and the terminal restored", async () => {
    await using s = await relaySandbox();
    const marker = `RALLY_TTY_TEST=${s.dir}`;
    await using t = await sessionFor(s, "relay -i 1 --agent mine t", 120, { AGENT_SCRIPT: "say:slow,sleep:30000", RALLY_TTY_TEST: s.dir });
    await t.waitFor("⏱");
    await agentRunning(s); // the status line shows at spawn, before the agent itself is up
    expect(livePidsWithEnv(marker).length).toBeGreaterThan(0);
    t.keys("C-c");
    t.keys("C-c");
    const screen = await t.waitFor("EXIT=", 15_000);
    expect(screen).toContain("EXIT=130");
    expect(livePidsWithEnv(marker).length).toBe(0);
    expect(s.tries()[0]).toMatchObject({ outcome: "cancelled", cancellation_source: "quit_now" });
    sttyUnchanged(s);
  }, 40_000);

  test("SIGTERM stops the relay and restores the terminal", async () => {
    await using s = await relaySandbox();
    await using t = await sessionFor(s, "relay -i 1 --agent mine t", 120, { AGENT_SCRIPT: "say:slow,sleep:30000" });
    await t.waitFor("⏱");
    await agentRunning(s); // the status line shows at spawn, before the agent itself is up
    const pid = Number(readFileSync(join(s.repo, ".rally/state/relay.lock"), "utf8"));
    process.kill(pid, "SIGTERM");
    const screen = await t.waitFor("EXIT=", 15_000);
    expect(screen).toContain("EXIT=143"); // 128 + SIGTERM, as a shell reports a terminated job
    sttyUnchanged(s);
  }, 40_000);
});

test("without a terminal the relay prints plain lines (no redraw, no escape codes)", async () => {
  await using s = await relaySandbox();
  const r = await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "say:working,append:a.txt=1" });
  expect(r.stdout).not.toContain("\x1b[");
  expect(r.stdout).not.toContain("\r");
  expect(r.stdout).toContain("[1/1] mine");
  expect(r.stdout).toContain("✓ completed");
});
