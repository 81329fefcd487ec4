import { describe, expect, test } from "bun:test";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "pathe";
import { MAIN } from "../support/rally.ts";
import { livePidsWithEnv } from "../support/processes.ts";
import { relaySandbox, type RelaySandbox } from "../support/relay-fixture.ts";

/** Start a relay whose agent sleeps, interrupt it with SIGINT once the try runs: an unfinished relay. */
async function interruptedRelay(s: RelaySandbox, iterations = 3): Promise<{ code: number; stdout: string; elapsed: number }> {
  const proc = Bun.spawn([process.execPath, MAIN, "relay", "-i", String(iterations), "--agent", "mine", "t"], {
    cwd: s.repo, env: { ...s.env, AGENT_SCRIPT: "say:working,sleep:30000" }, stdout: "pipe", stderr: "pipe", stdin: "ignore",
  });
  const deadline = Date.now() + 10_000;
  while (!s.invocations().length && Date.now() < deadline) await Bun.sleep(50);
  await Bun.sleep(200);
  const t0 = Date.now();
  proc.kill("SIGINT");
  const code = await proc.exited;
  return { code, stdout: await new Response(proc.stdout).text(), elapsed: Date.now() - t0 };
}

describe("seed 2h: unfinished relays, resume and new", () => {
  test("Ctrl+C stops the agent, records the try as cancelled and leaves the relay resumable", async () => {
    await using s = await relaySandbox();
    const r = await interruptedRelay(s);
    expect(r.code).toBe(130);
    expect(r.elapsed).toBeLessThan(6000);
    expect(s.tries()[0]).toMatchObject({ completed: false, outcome: "cancelled", cancellation_source: "quit_now" });
    expect(s.relays()[0]!.ended_at).toBeUndefined();
  });

  test("piped `new` closes the old relay and starts another", async () => {
    await using s = await relaySandbox();
    await interruptedRelay(s);
    const r = await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { stdin: "new\n", script: "append:n.txt=1" });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Unfinished relay #1 at iteration 0/3 (mix: mine) [Resume/Start new]:");
    const [old, fresh] = s.relays();
    expect(old!.ended_at).toBeString();
    expect(fresh).toMatchObject({ id: 2, target_iterations: 1, completed_iterations: 1 });
  });

  test("piped `resume` continues the stored relay (no new record; target unchanged)", async () => {
    await using s = await relaySandbox();
    await interruptedRelay(s, 2);
    const r = await s.run(["relay", "-i", "9", "t"], { stdin: "resume\n", script: "append:r.txt=1" });
    expect(r.code).toBe(0);
    expect(s.relays()).toHaveLength(1);
    expect(s.relays()[0]).toMatchObject({ id: 1, target_iterations: 2, completed_iterations: 2 });
    expect(s.tries().map((t) => t.id)).toEqual([1, 2, 3]);
  });

  test("stdin at EOF resumes by default", async () => {
    await using s = await relaySandbox();
    await interruptedRelay(s, 1);
    const r = await s.run(["relay", "t"], { stdin: "", script: "append:r.txt=1" });
    expect(r.code).toBe(0);
    expect(s.relays()).toHaveLength(1);
  });

  test("--resume continues silently and applies a new --agent", async () => {
    await using s = await relaySandbox({ mine: "", other: "" });
    await interruptedRelay(s, 1);
    const r = await s.run(["relay", "--resume", "--agent", "other", "t"], { script: "append:r.txt=1" });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("Unfinished relay");
    expect(s.relays()).toHaveLength(1);
    expect(s.relays()[0]!.agent_mix).toBe("__override__:other");
    expect(s.tries().at(-1)!.agent_type).toBe("other");
  });

  test("--new closes the old relay without asking and resets agent status", async () => {
    await using s = await relaySandbox();
    await interruptedRelay(s);
    appendFileSync(join(s.repo, ".rally/state/agent_status.jsonl"), JSON.stringify({ agent_type: "mine", event_type: "frozen", timestamp: new Date().toISOString() }) + "\n");
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"], { script: "append:r.txt=1" });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("Unfinished relay");
    expect(s.relays()[0]!.ended_at).toBeString();
    expect(s.relays()[1]).toMatchObject({ id: 2, completed_iterations: 1 });
  });

  test("--resume with --new is refused", async () => {
    await using s = await relaySandbox();
    const r = await s.run(["relay", "--resume", "--new", "t"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot use --resume and --new together");
  });

  test("a relay without `rally init` is refused; a second relay in the same workspace is locked out", async () => {
    await using s = await relaySandbox();
    const busy = Bun.spawn([process.execPath, MAIN, "relay", "-i", "1", "--agent", "mine", "t"], {
      cwd: s.repo, env: { ...s.env, AGENT_SCRIPT: "sleep:20000" }, stdout: "ignore", stderr: "ignore", stdin: "ignore",
    });
    while (!s.invocations().length) await Bun.sleep(50);
    const second = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"]);
    busy.kill("SIGINT");
    await busy.exited;
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^error: another rally relay \(pid \d+\) is running in this workspace/m);
  });

  test.skipIf(process.platform !== "linux")("a SIGKILLed relay not yet reaped (a zombie) does not lock the next one out", async () => {
    await using s = await relaySandbox();
    // The shell starts rally, prints its pid and becomes a sleep that never reaps it.
    const rallyCmd = [process.execPath, MAIN, "relay", "-i", "1", "--agent", "mine", "t"].map((a) => `'${a}'`).join(" ");
    const parent = Bun.spawn(["sh", "-c", `${rallyCmd} >/dev/null 2>&1 </dev/null & echo $!; exec sleep 60`], {
      cwd: s.repo, env: { ...s.env, AGENT_SCRIPT: "sleep:10000" }, stdout: "pipe", stderr: "ignore",
    });
    try {
      const reader = parent.stdout.getReader();
      const pid = Number(new TextDecoder().decode((await reader.read()).value).trim());
      reader.releaseLock();
      await s.waitFor(() => s.invocations().length > 0);
      process.kill(pid, "SIGKILL");
      await s.waitFor(() => /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8")));
      const next = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"], { script: "append:a.txt=1" });
      expect(next.stderr).not.toContain("another rally relay");
      expect(next.code).toBe(0);
    } finally {
      parent.kill("SIGKILL");
      await parent.exited;
    }
  });

  test("a torn last line in tries.jsonl is set aside with a warning; ids keep going", async () => {
    await using s = await relaySandbox();
    await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "append:a.txt=1" });
    appendFileSync(join(s.repo, ".rally/state/tries.jsonl"), '{"v":1,"id":2,"run_id');
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"], { script: "append:a.txt=2" });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("skipped a partial last line");
    expect(s.tries().map((t) => t.id)).toEqual([1, 2]);
    expect(readFileSync(join(s.repo, ".rally/state/tries.jsonl.torn"), "utf8")).toContain('"run_id');
  });

  test("a malformed line in the middle is a clear error, and nothing is written", async () => {
    await using s = await relaySandbox();
    await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "append:a.txt=1" });
    const path = join(s.repo, ".rally/state/tries.jsonl");
    const good = readFileSync(path, "utf8");
    Bun.write(path, "not json\n" + good);
    await Bun.sleep(50);
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("tries.jsonl:1: not valid JSON (repair or delete that line of tries.jsonl");
    expect(readFileSync(path, "utf8")).toBe("not json\n" + good);
  });
});

/** A relay whose agent hangs, sent one SIGTERM once the agent runs (as `kill <pid>` or a service manager would). */
async function terminatedRelay(s: RelaySandbox): Promise<{ code: number; marker: string; elapsed: number }> {
  const marker = `RALLY_SIGTERM_TEST=${s.dir}`;
  const proc = s.spawn(["relay", "-i", "1", "--agent", "mine", "t"], { script: "say:working,sleep:60000", env: { RALLY_SIGTERM_TEST: s.dir } });
  await s.waitFor(() => s.invocations().length > 0);
  await Bun.sleep(200);
  const t0 = Date.now();
  proc.kill("SIGTERM");
  const code = await proc.exited;
  return { code, marker, elapsed: Date.now() - t0 };
}

describe.skipIf(process.platform !== "linux")("SIGTERM to a running relay", () => {
  test("stops the agent's whole group and records the try as cancelled", async () => {
    await using s = await relaySandbox();
    const r = await terminatedRelay(s);
    expect(r.elapsed).toBeLessThan(6000);
    expect(livePidsWithEnv(r.marker)).toEqual([]);
    expect(s.tries()[0]).toMatchObject({ completed: false, outcome: "cancelled", cancellation_source: "quit_now" });
  });

  test("exits 143 (128 + SIGTERM), not Ctrl+C's 130 (spec 06 §6.3)", async () => {
    await using s = await relaySandbox();
    expect((await terminatedRelay(s)).code).toBe(143);
  });
});

test("a run-state left by a killed rally becomes a stub summary entry on the next start", async () => {
  await using s = await relaySandbox();
  const { writeFileSync } = await import("node:fs");
  writeFileSync(join(s.repo, ".rally/state/run-state.json"), JSON.stringify({ run_id: "relay-7-run-3", handoff_state: 0, recorded_laps: [] }));
  const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"], { script: "append:a.txt=1" });
  expect(r.code).toBe(0);
  const entries = readFileSync(join(s.repo, ".rally/summary.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(entries[0]).toMatchObject({ run_id: "relay-7-run-3", summary: "(agent exited without finalizing)" });
  expect(entries[0].laps_completed).toBeUndefined(); // free-run: no laps field
});
