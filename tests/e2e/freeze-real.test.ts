// Real processes, real /proc, real clock: the sampler must see a group's TCP connections and call
// connected and classic freezes on idle fake agents.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NetstatRow, startTrySampler, type TickResult, type Verdict } from "../../src/monitor/index.ts";
import { hasBash, spawnIdleAgent, startSilentServer, type FakeAgent, type SilentServer } from "../support/fake-agent.ts";

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function tempLog(): string {
  const dir = mkdtempSync(join(tmpdir(), "rally-freeze-real-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const logPath = join(dir, "try-1.log");
  writeFileSync(logPath, "agent started\n");
  return logPath;
}

function track<T extends FakeAgent | SilentServer>(x: T): T {
  cleanups.push(() => ("kill" in x ? x.kill() : x.stop()));
  return x;
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (!cond() && performance.now() < until) await Bun.sleep(25);
}

async function sampleUntilFrozen(agent: FakeAgent, thresholdS: number, connectedWindowS: number) {
  const logPath = tempLog();
  const verdicts: Verdict[] = [];
  const ticks: TickResult[] = [];
  const sampler = startTrySampler({
    pgid: agent.pid,
    logPath,
    thresholdS,
    connectedWindowS,
    onVerdict: (v) => verdicts.push(v),
    onError: (e) => {
      throw e;
    },
  });
  const poll = setInterval(() => {
    const t = sampler.latest();
    if (t && t !== ticks.at(-1)) ticks.push(t);
  }, 100);
  const timeout = setTimeout(() => void sampler.stop(), 15_000);
  await sampler.done;
  clearInterval(poll);
  clearTimeout(timeout);
  const netstat = readFileSync(logPath.replace(/\.log$/, ".netstat.jsonl"), "utf8");
  const rows = netstat.trimEnd().split("\n").map((l) => NetstatRow.parse(JSON.parse(l)));
  return { verdicts, ticks, rows };
}

describe.skipIf(!hasBash())("freeze detection on real processes", () => {
  test("connected agent gone quiet → connections seen, connected-frozen verdict", async () => {
    // 30 connections put ≥ 60 rows (both ends) in /proc/net/tcp: more than one 4 KiB seq_file page.
    const server = track(startSilentServer());
    const agent = track(spawnIdleAgent({ port: server.port, sockets: 30 }));
    await waitFor(() => server.accepted() === 30, 3_000);
    expect(server.accepted()).toBe(30);

    const { verdicts, rows, ticks } = await sampleUntilFrozen(agent, 2, 3);
    expect(verdicts.at(-1)).toMatchObject({ state: "frozen", kind: "connected" });
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.length).toBeLessThanOrEqual(8);
    expect(rows.every((r) => r.connections === 30)).toBe(true);
    expect(rows.at(-1)?.syscall_bytes).toBeGreaterThan(0);
    // The sh leader holds no socket: the connections were found in a child of the group.
    expect(ticks.at(-1)?.snapshot.members.length).toBeGreaterThanOrEqual(2);
  }, 20_000);

  test("unconnected agent gone quiet → classic-frozen verdict at the threshold", async () => {
    const agent = track(spawnIdleAgent());
    const { verdicts, rows } = await sampleUntilFrozen(agent, 3, 300);
    expect(verdicts.map((v) => v.state)).toEqual(["active", "slowing", "frozen"]);
    expect(verdicts.at(-1)?.kind).toBe("classic");
    expect(rows.at(-1)?.log_silent_s).toBe(3);
    expect(rows.length).toBeLessThanOrEqual(4);
    expect(rows.every((r) => r.connections === 0)).toBe(true);
  }, 20_000);
});
