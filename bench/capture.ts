#!/usr/bin/env bun
// Output capture: an agent that prints --mb MiB (default 200) of JSON lines, run
//   rally  — as a custom harness by a real `rally relay -i 1 --agent big` (compiled rally, temp
//            git repo, HOME/XDG isolated, data_dir in the temp dir); the try log gets the bytes
//   plain  — the same agent binary with stdout redirected to a file by a plain spawn
// plus both again with a 0 MiB agent, which isolates rally's fixed per-relay cost (start-up,
// state, the one-line commit the agent's touch causes). Arms are interleaved, order rotated each
// round, dirty pages flushed between runs; medians over rounds; only ratios are targets.
// Every run checks the output file holds exactly the bytes the agent wrote. The agent stamps its own
// start and end ($BENCH_AGENT_TIMES), so each run also splits into before / agent / after: the
// agent's run time under rally against plain is the cost of capture itself.
// Targets: rally/plain time ≤ 1.2× at --mb; rally peak RSS ≤ 150 MB.
// Usage: bun bench/capture.ts [--mb 200] [--rounds 5] [--keep]

import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "pathe";
import { parseArgs } from "node:util";
import { agentBytes, benchKit, lastAgentSpan, lastTry, median, mib, plainRepo, rallyRepo, settle, timed, type Timed } from "./relay-support.ts";

const { values } = parseArgs({
  options: { mb: { type: "string", default: "200" }, rounds: { type: "string", default: "5" }, keep: { type: "boolean", default: false } },
});
const MB = Number(values.mb);
const ROUNDS = Number(values.rounds);

const kit = await benchKit("capture");
const agentTimes = join(kit.work, "agent-times");
kit.env.BENCH_AGENT_TIMES = agentTimes;
try {
  const { repo, dataDir } = rallyRepo(kit, "repo", { big: [String(MB), "touched.txt"], zero: ["0", "touched.txt"] });
  const plainDir = plainRepo(kit, "plain"); // the plain arm's cwd (the agent's touch lands here)
  const plainOut = join(kit.work, "plain-out");
  let plainN = 0;

  const rallyRun = async (harness: "big" | "zero", mb: number): Promise<Timed> => {
    const r = await timed([kit.rally, "relay", "--new", "-i", "1", "--agent", harness, "print"], { cwd: repo, env: kit.env });
    if (r.code !== 0) throw new Error(`rally relay (${harness}) exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    const t = lastTry(repo);
    if (!t.completed) throw new Error(`rally try ${t.id} did not complete: ${t.fail_reason}`);
    const size = statSync(t.log_path).size;
    if (size !== agentBytes(mb)) throw new Error(`try log ${t.log_path} has ${size} bytes, the agent wrote ${agentBytes(mb)}`);
    rmSync(t.log_path);
    return r;
  };
  const plainRun = async (mb: number): Promise<Timed> => {
    // A fresh file each run, as rally creates a fresh try log.
    const out = join(plainOut, `out-${++plainN}.log`);
    mkdirSync(plainOut, { recursive: true });
    const r = await timed(["sh", "-c", 'exec "$0" "$1" touched.txt print > "$2"', kit.agent, String(mb), out], {
      cwd: plainDir,
      env: kit.env,
    });
    if (r.code !== 0) throw new Error(`plain agent exited ${r.code}: ${r.stderr}`);
    const size = statSync(out).size;
    if (size !== agentBytes(mb)) throw new Error(`plain output has ${size} bytes, the agent wrote ${agentBytes(mb)}`);
    rmSync(out);
    return r;
  };

  const arms: Record<string, () => Promise<Timed>> = {
    rally: () => rallyRun("big", MB),
    plain: () => plainRun(MB),
    rally0: () => rallyRun("zero", 0),
    plain0: () => plainRun(0),
  };
  const ms: Record<string, number[]> = { rally: [], plain: [], rally0: [], plain0: [] };
  // Each run split at the agent's own start and end: before / during (the capture) / after.
  const phases: Record<string, { before: number[]; during: number[]; after: number[] }> = Object.fromEntries(
    Object.keys(ms).map((k) => [k, { before: [], during: [], after: [] }]),
  );
  let hwm = 0;
  let treeMax = 0;
  let hwm0 = 0;
  // One warm-up round (page cache, first git objects), not counted.
  for (const run of Object.values(arms)) await run(), settle();
  const names = Object.keys(arms);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]!;
      settle();
      const r = await arms[name]!();
      ms[name]!.push(r.ms);
      const span = lastAgentSpan(agentTimes);
      phases[name]!.before.push(span.start - r.startedAt);
      phases[name]!.during.push(span.end - span.start);
      phases[name]!.after.push(r.startedAt + r.ms - span.end);
      if (name === "rally") {
        hwm = Math.max(hwm, r.hwmBytes ?? 0);
        treeMax = Math.max(treeMax, r.maxRssBytes ?? 0);
      }
      if (name === "rally0") hwm0 = Math.max(hwm0, r.hwmBytes ?? 0);
    }
  }
  const m = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const ratio = m.rally! / m.plain!;
  const captureRatio = (m.rally! - m.rally0!) / Math.max(1e-9, m.plain! - m.plain0!);
  const rssOk = hwm > 0 && hwm <= 150 * 1024 * 1024;
  const row = (label: string, value: string, verdict = "") => console.log(`${label.padEnd(50)} ${value}${verdict ? "  " + verdict : ""}`);
  console.log(`capture bench: ${MB} MiB of JSON lines, median of ${ROUNDS} interleaved rounds (compiled rally)`);
  row("rally relay / plain redirect (time)", `${ratio.toFixed(2)}×`, `(target ≤ 1.2×) ${ratio <= 1.2 ? "ok" : "OVER"}`);
  row("rally peak RSS (own VmHWM, polled 50 ms)", `${mib(hwm)} MiB`, `(target ≤ 150 MB) ${rssOk ? "ok" : "OVER"}`);
  row("  wait4 ru_maxrss (max over rally + children)", `${mib(treeMax)} MiB`);
  row("  rally peak RSS with a 0 MiB agent", `${mib(hwm0)} MiB`);
  row("fixed overhead: rally / plain, 0 MiB agent", `${(m.rally0! / m.plain0!).toFixed(2)}×`);
  row("capture only: (rally − rally0) / (plain − plain0)", `${captureRatio.toFixed(2)}×`);
  row("fixed overhead share of the rally run", `${(((m.rally0! - m.plain0!) / m.rally!) * 100).toFixed(0)}%`);
  // Even if capture cost nothing, the fixed per-relay overhead alone puts the total ratio here.
  row("  floor of the total ratio from fixed overhead", `${(1 + (m.rally0! - m.plain0!) / m.plain!).toFixed(2)}×`);
  const ph = (k: string) => ({ b: median(phases[k]!.before), d: median(phases[k]!.during), a: median(phases[k]!.after) });
  const [pr, pp, pr0] = [ph("rally"), ph("plain"), ph("rally0")];
  row("agent's own run time, under rally / plain", `${(pr.d / pp.d).toFixed(2)}×`);
  row(
    "  rally phases, ms (before agent / agent / after)",
    `${MB} MiB: ${pr.b.toFixed(0)} / ${pr.d.toFixed(0)} / ${pr.a.toFixed(0)};  0 MiB: ${pr0.b.toFixed(0)} / ${ph("rally0").d.toFixed(0)} / ${pr0.a.toFixed(0)};  plain: ${pp.b.toFixed(0)} / ${pp.d.toFixed(0)} / ${pp.a.toFixed(0)}`,
  );
  row(
    "  context, not targets: medians in ms",
    `rally ${m.rally!.toFixed(0)}, plain ${m.plain!.toFixed(0)}, rally0 ${m.rally0!.toFixed(0)}, plain0 ${m.plain0!.toFixed(0)}`,
  );
  console.log(`all ${ROUNDS * 2 + 2} rally try logs and ${ROUNDS * 2 + 2} plain outputs matched the agent's byte count (${agentBytes(MB)} / 0)`);
  const leftovers = readdirSync(join(dataDir, "tries"))
    .flatMap((d) => readdirSync(join(dataDir, "tries", d)))
    .filter((f) => /^try-\d+\.log$/.test(f));
  if (leftovers.length) console.log(`note: try logs left behind: ${leftovers.join(", ")}`);
  process.exitCode = ratio <= 1.2 && rssOk ? 0 : 1;
} finally {
  if (values.keep) console.log(`kept ${kit.work}`);
  else rmSync(kit.work, { recursive: true, force: true });
}
