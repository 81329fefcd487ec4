#!/usr/bin/env bun
// Per-iteration cost of the relay loop with a no-op-ish agent (it appends one line to a file in
// the repo, so every iteration has a change to commit):
//   rally  — `rally relay -i N --agent mine` (compiled rally, temp git repo, HOME/XDG isolated)
//   shell  — one `sh -c` loop that spawns the same agent binary with the same kind of prompt
//            argument, then `git add -A && git commit -q -m x`, N times, in a repo of its own
// Arms are interleaved with the order rotated each round; medians over rounds. Besides the
// total-time ratio (which carries rally's start-up once per relay), a marginal figure from
// N-iteration minus 1-iteration runs shows the steady per-iteration cost alone.
// Target: rally per-iteration time ≤ 2× the shell loop's.
// Usage: bun bench/iteration.ts [--n 20] [--rounds 5] [--keep]

import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { benchKit, git, lastTry, median, plainRepo, rallyRepo, settle, timed, type Timed } from "./relay-support.ts";

const { values } = parseArgs({
  options: { n: { type: "string", default: "20" }, rounds: { type: "string", default: "5" }, keep: { type: "boolean", default: false } },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
if (!(N >= 2)) throw new Error("--n must be at least 2");

const kit = await benchKit("iteration");
try {
  const { repo } = rallyRepo(kit, "repo", { mine: ["0", "note.txt"] });
  const shellRepo = plainRepo(kit, "shell");
  // A prompt the size of rally's first one, so argv handling is alike (rally's grows a little
  // with recent-try context; this is not meant to match it byte for byte).
  const prompt = "## Task\nappend a line\n" + "context ".repeat(200);

  const commits = (cwd: string) => Number(git(cwd, kit.env, ["rev-list", "--count", "HEAD"]).trim());
  const rallyRun = async (n: number): Promise<Timed> => {
    const before = commits(repo);
    const r = await timed([kit.rally, "relay", "--new", "-i", String(n), "--agent", "mine", "append a line"], { cwd: repo, env: kit.env });
    if (r.code !== 0) throw new Error(`rally relay exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    if (!lastTry(repo).completed) throw new Error("rally's last try did not complete");
    const made = commits(repo) - before;
    if (made < n) throw new Error(`rally made ${made} commits for ${n} iterations`);
    return r;
  };
  const shellRun = async (n: number): Promise<Timed> => {
    const before = commits(shellRepo);
    const script = 'i=0; while [ $i -lt "$1" ]; do "$0" 0 note.txt "$2" || exit 1; git add -A && git commit -q -m x || exit 1; i=$((i+1)); done';
    const r = await timed(["sh", "-c", script, kit.agent, String(n), prompt], { cwd: shellRepo, env: kit.env });
    if (r.code !== 0) throw new Error(`shell loop exited ${r.code}: ${r.stderr}`);
    if (commits(shellRepo) - before !== n) throw new Error("shell loop did not commit every iteration");
    return r;
  };

  const arms: Record<string, () => Promise<Timed>> = {
    rallyN: () => rallyRun(N),
    shellN: () => shellRun(N),
    rally1: () => rallyRun(1),
    shell1: () => shellRun(1),
  };
  const ms: Record<string, number[]> = Object.fromEntries(Object.keys(arms).map((k) => [k, []]));
  for (const run of Object.values(arms)) await run(); // warm-up, not counted
  const names = Object.keys(arms);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]!;
      settle();
      ms[name]!.push((await arms[name]!()).ms);
    }
  }
  const m = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const perRally = m.rallyN! / N;
  const perShell = m.shellN! / N;
  const ratio = perRally / perShell;
  const marginal = (m.rallyN! - m.rally1!) / Math.max(1e-9, m.shellN! - m.shell1!);
  const row = (label: string, value: string, verdict = "") => console.log(`${label.padEnd(50)} ${value}${verdict ? "  " + verdict : ""}`);
  console.log(`iteration bench: N = ${N}, median of ${ROUNDS} interleaved rounds (compiled rally)`);
  row("rally / shell loop, per iteration (total ÷ N)", `${ratio.toFixed(2)}×`, `(target ≤ 2×) ${ratio <= 2 ? "ok" : "OVER"}`);
  row("  marginal: (N − 1 iteration) runs, rally / shell", `${marginal.toFixed(2)}×`);
  row("  one-iteration relay / one-iteration loop", `${(m.rally1! / m.shell1!).toFixed(2)}×`);
  row(
    "  context, not targets: ms per iteration",
    `rally ${perRally.toFixed(1)}, shell ${perShell.toFixed(1)}; marginal rally ${((m.rallyN! - m.rally1!) / (N - 1)).toFixed(1)}, shell ${((m.shellN! - m.shell1!) / (N - 1)).toFixed(1)}`,
  );
  process.exitCode = ratio <= 2 ? 0 : 1;
} finally {
  if (values.keep) console.log(`kept ${kit.work}`);
  else rmSync(kit.work, { recursive: true, force: true });
}
