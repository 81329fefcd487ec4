import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { dirname } from "pathe";
import type { LivenessProbe } from "../harness/types.ts";
import { systemClock } from "../sys/clock.ts";
import type { GroupExit, GroupProcess, GroupProcessSpec, GroupSpawner } from "../sys/group-process.ts";
import { runLivenessProbe, type ProbeRunInput } from "./liveness-probe.ts";

// The probe runner with a fake spawner: what each way a probe can end becomes, and that it always
// cleans up (group killed, temp file gone) and never throws.

interface FakeChild {
  answer?: string;
  exit?: GroupExit | "never";
  stderr?: string;
}

function fake(child: FakeChild) {
  const seen: { spec?: GroupProcessSpec; kills: number } = { kills: 0 };
  const spawn: GroupSpawner = (spec) => {
    seen.spec = spec;
    const answerPath = spec.argv[1]!;
    if (child.answer !== undefined) writeFileSync(answerPath, child.answer);
    let kill!: () => void;
    const killed = new Promise<GroupExit>((resolve) => (kill = () => resolve({ exitCode: null, signal: "SIGKILL" })));
    const exit = child.exit ?? { exitCode: 0, signal: null };
    const proc: GroupProcess = {
      exited: exit === "never" ? killed : Promise.resolve(exit),
      stderrTail: () => child.stderr ?? "",
      killGroup: () => {
        seen.kills++;
        kill();
      },
    };
    return proc;
  };
  return { spawn, seen };
}

const probe = (answerPath: string): LivenessProbe => ({
  argv: ["fakecli", answerPath, "fork", "s1"],
  env: { PROBE_VAR: "1" },
  isAlive: (answer) => answer.trim() === "OK",
  couldNotAsk: (f) => (f.exitCode === 2 ? "fakecli rejected the arguments" : undefined),
});

function input(spawn: GroupSpawner, over: Partial<ProbeRunInput> = {}): ProbeRunInput {
  return { probe, cwd: "/work/repo", env: { BASE: "b", PROBE_VAR: "0" }, spawn, clock: systemClock, timeoutMs: 5_000, ...over };
}

describe("liveness probe runner", () => {
  const cases: Array<[string, FakeChild, { status: string; why?: string }]> = [
    ["answers OK → alive", { answer: "OK\n" }, { status: "alive" }],
    ["answers something else → dead, with the answer", { answer: "NOPE" }, { status: "dead", why: 'answered "NOPE"' }],
    ["exits 0 without an answer → dead", {}, { status: "dead", why: "no answer" }],
    ["non-zero exit → dead, with the last stderr line", { exit: { exitCode: 1, signal: null }, stderr: "warming up\nError: thread not found\n" },
      { status: "dead", why: "exit 1: Error: thread not found" }],
    ["a failure the probe says never reached the agent → inconclusive", { exit: { exitCode: 2, signal: null }, stderr: "usage\n" },
      { status: "inconclusive", why: "fakecli rejected the arguments" }],
    ["killed by a signal → dead", { exit: { exitCode: null, signal: "SIGTERM" } }, { status: "dead", why: "killed by SIGTERM" }],
  ];
  for (const [name, child, want] of cases) {
    test(name, async () => {
      const { spawn, seen } = fake(child);
      const outcome = await runLivenessProbe(input(spawn));
      expect(outcome).toMatchObject(want);
      if (want.status === "alive") expect(outcome).not.toHaveProperty("why");
      expect(seen.kills).toBeGreaterThanOrEqual(1); // whatever the outcome, nothing of the group is left
      expect(existsSync(dirname(seen.spec!.argv[1]!))).toBe(false); // temp file and its dir removed
    });
  }

  test("runs in the workspace, with the probe's env over the agent's", async () => {
    const { spawn, seen } = fake({ answer: "OK" });
    await runLivenessProbe(input(spawn));
    expect(seen.spec).toMatchObject({ cwd: "/work/repo", env: { BASE: "b", PROBE_VAR: "1" } });
    expect(seen.spec!.argv[1]).toMatch(/rally-probe-[^/]+\/answer\.txt$/);
  });

  test("no answer within the timeout → dead, and the probe's group is killed", async () => {
    const { spawn, seen } = fake({ exit: "never" });
    const started = Date.now();
    const outcome = await runLivenessProbe(input(spawn, { timeoutMs: 50 }));
    expect(outcome).toMatchObject({ status: "dead", why: "no answer within 0.05s" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(seen.kills).toBeGreaterThanOrEqual(1);
    expect(existsSync(dirname(seen.spec!.argv[1]!))).toBe(false);
  });

  test("could not launch → inconclusive", async () => {
    const spawn: GroupSpawner = () => {
      throw Object.assign(new Error("spawn fakecli ENOENT"), { code: "ENOENT" });
    };
    expect(await runLivenessProbe(input(spawn))).toMatchObject({ status: "inconclusive", why: 'could not start "fakecli": command not found' });
  });

  test("the try ending (abort) kills the probe → inconclusive", async () => {
    const { spawn, seen } = fake({ exit: "never" });
    const abort = new AbortController();
    const running = runLivenessProbe(input(spawn, { signal: abort.signal }));
    await Bun.sleep(10);
    abort.abort();
    expect(await running).toMatchObject({ status: "inconclusive", why: "cancelled: the try ended" });
    expect(seen.kills).toBeGreaterThanOrEqual(1);
  });

  test("never throws: a failing probe builder is inconclusive", async () => {
    const { spawn } = fake({ answer: "OK" });
    const broken = () => {
      throw new Error("boom");
    };
    expect(await runLivenessProbe(input(spawn, { probe: broken }))).toMatchObject({ status: "inconclusive", why: "probe error: boom" });
  });

  test("reports how long the probe took", async () => {
    const { spawn } = fake({ answer: "OK" });
    const outcome = await runLivenessProbe(input(spawn));
    expect(outcome.ms).toBeGreaterThanOrEqual(0);
    expect(outcome.ms).toBeLessThan(5_000);
  });
});
