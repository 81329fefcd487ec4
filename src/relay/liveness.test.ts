import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { codexHarness } from "../harness/codex/index.ts";
import { invocationInput } from "../harness/test-support.ts";
import { claudeHarness } from "../harness/claude/index.ts";
import type { ProbeOutcome, TickResult } from "../monitor/index.ts";
import type { Clock } from "../sys/clock.ts";
import type { GroupExit, GroupProcessSpec, GroupSpawner } from "../sys/group-process.ts";
import { watchLiveness, type LivenessWatchInput } from "./liveness.ts";

// The try-level wiring: ticks never wait for a probe, the outcome lands on a later tick, a dead
// answer stops the try once, and the end of the try kills a probe still running.

/** Time moves only when told; timers (the probe's 30 s budget) never fire on their own. */
function stillClock(start = 0): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => void (t += ms),
    sleep: (_ms, signal) => new Promise((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true })),
  };
}

/** Each probe waits until the test calls finish(answer). */
function heldProbes() {
  const started: GroupProcessSpec[] = [];
  const finishers: Array<(answer: string) => void> = [];
  let kills = 0;
  const spawn: GroupSpawner = (spec) => {
    started.push(spec);
    let exit!: (e: GroupExit) => void;
    const exited = new Promise<GroupExit>((resolve) => (exit = resolve));
    finishers.push((answer) => {
      writeFileSync(spec.argv[spec.argv.indexOf("-o") + 1]!, answer);
      exit({ exitCode: 0, signal: null });
    });
    return { exited, stderrTail: () => "", killGroup: () => (kills++, exit({ exitCode: null, signal: "SIGKILL" })) };
  };
  return { spawn, started, finish: (answer: string) => finishers.at(-1)!(answer), kills: () => kills };
}

const tick = (ambiguous: boolean) => ({ ambiguous }) as TickResult;
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Every watch is closed after its test, so no held probe (or its temp directory) outlives it. */
const open: Array<{ close(): void }> = [];
afterEach(() => open.splice(0).forEach((w) => w.close()));

function setup(over: Partial<LivenessWatchInput> = {}) {
  const probes = heldProbes();
  const clock = stillClock();
  const outcomes: ProbeOutcome[] = [];
  const deaths: string[] = [];
  let session: string | undefined = "thread-7";
  const watch = watchLiveness({
    harness: codexHarness,
    invocation: invocationInput({ model: "gpt-5.4-mini", config: { env: { GATEWAY: "g" } } }),
    baseEnv: { PATH: "/bin" },
    stallThresholdS: 900,
    sessionId: () => session,
    onOutcome: (o) => outcomes.push(o),
    onDead: (why) => deaths.push(why),
    spawn: probes.spawn,
    clock,
    ...over,
  })!;
  open.push(watch);
  return { watch, probes, clock, outcomes, deaths, setSession: (s?: string) => void (session = s) };
}

describe("liveness watch of one try", () => {
  test("a harness without a probe gets no watch", () => {
    expect(watchLiveness({ ...setupInput(), harness: claudeHarness })).toBeUndefined();
  });

  test("the tick that starts a probe returns at once; the outcome lands on a later tick", async () => {
    const s = setup();
    s.watch.onTick(tick(true));
    expect(s.probes.started).toHaveLength(1);
    expect(s.probes.started[0]!.argv.slice(-3)).toEqual(["fork", "thread-7", "Respond with exactly OK."]);
    expect(s.probes.started[0]!.env).toMatchObject({ PATH: "/bin", GATEWAY: "g" });
    s.watch.onTick(tick(true)); // still running: nothing, and no second probe
    expect(s.probes.started).toHaveLength(1);
    s.probes.finish("OK");
    await settled();
    expect(s.outcomes).toEqual([]); // not until the next tick
    s.watch.onTick(tick(true));
    expect(s.outcomes).toMatchObject([{ status: "alive" }]);
    expect(s.deaths).toEqual([]);
  });

  test("a dead answer stops the try once", async () => {
    const s = setup();
    s.watch.onTick(tick(true));
    s.probes.finish("I am not sure what you mean");
    await settled();
    s.clock.advance(120_000);
    s.watch.onTick(tick(true));
    s.watch.onTick(tick(true));
    expect(s.outcomes).toMatchObject([{ status: "dead", why: 'answered "I am not sure what you mean"' }]);
    expect(s.deaths).toEqual(['liveness probe failed: answered "I am not sure what you mean"']);
    expect(s.probes.started).toHaveLength(1);
  });

  test("no session id yet: no probe until the parser has one", () => {
    const s = setup();
    s.setSession(undefined);
    s.watch.onTick(tick(true));
    expect(s.probes.started).toHaveLength(0);
    s.setSession("thread-8");
    s.watch.onTick(tick(true));
    expect(s.probes.started[0]!.argv).toContain("thread-8");
  });

  test("closing at the end of the try kills a probe still running; nothing is reported after", async () => {
    const s = setup();
    s.watch.onTick(tick(true));
    s.watch.close();
    await settled();
    expect(s.probes.kills()).toBeGreaterThanOrEqual(1);
    s.watch.onTick(tick(true));
    expect(s.outcomes).toEqual([]);
    expect(s.deaths).toEqual([]);
  });
});

function setupInput(): LivenessWatchInput {
  return {
    harness: codexHarness, invocation: invocationInput(), baseEnv: {}, stallThresholdS: 900,
    sessionId: () => undefined, onOutcome: () => {}, onDead: () => {},
  };
}
