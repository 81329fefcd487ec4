import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "pathe";
import { Store } from "../../src/state/store.ts";
import { gitSync, MAIN } from "../support/rally.ts";
import { livePidsWithEnv } from "../support/processes.ts";
import { relaySandbox } from "../support/relay-fixture.ts";

// SIGKILL rally at random moments of a relay, over and over. After every kill the state must
// load, every recorded try must keep its log and commit, no agent may be left running once the
// next rally starts, and --resume must carry on to the end.

const KILLS = 20;
const TARGET = 45; // more than the kill phase can finish (each try there takes ≥ 300 ms)

test(`state survives ${KILLS} SIGKILLs at random points of a relay`, async () => {
  await using s = await relaySandbox();
  const marker = `RALLY_CRASH_TEST=${s.dir}`;
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < KILLS; i++) {
    const proc = Bun.spawn([process.execPath, MAIN, "relay", "--resume", "-i", String(TARGET), "--agent", "mine", "t"], {
      cwd: s.repo,
      env: { ...s.env, AGENT_SCRIPT: `append:work.txt=${i},say:step ${i},sleep:${300 + Math.floor(random() * 300)}`, RALLY_CRASH_TEST: s.dir },
      stdout: "ignore", stderr: "ignore", stdin: "ignore",
    });
    await Bun.sleep(150 + Math.floor(random() * 900));
    proc.kill("SIGKILL");
    await proc.exited;

    const store = Store.open(s.repo, { triesLogDir: "", repair: false });
    const ids = store.tries.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length); // never a reused try id
    for (const t of store.tries) {
      if (t.log_path) expect(existsSync(t.log_path)).toBe(true);
      for (const c of t.commit_history ?? []) {
        expect(Bun.spawnSync(["git", "cat-file", "-e", `${c}^{commit}`], { cwd: s.repo, env: s.env }).exitCode).toBe(0);
      }
    }
  }
  const logsBefore = readdirSync(join(s.dataDir, "tries", readdirSync(join(s.dataDir, "tries"))[0]!));
  const finish = await s.run(["relay", "--resume", "--agent", "mine", "t"], { script: "append:work.txt=end,say:done" });
  expect(finish.stderr).toBe("");
  expect(finish.code).toBe(0);
  expect(livePidsWithEnv(marker)).toEqual([]);
  const store = Store.open(s.repo, { triesLogDir: "", repair: false });
  const relay = store.lastRelay()!;
  expect(relay).toMatchObject({ id: 1, completed_iterations: TARGET });
  expect(relay.ended_at).toBeString();
  // Every try log written before the final run is still there, unchanged in number.
  const logsAfter = readdirSync(join(s.dataDir, "tries", readdirSync(join(s.dataDir, "tries"))[0]!));
  for (const l of logsBefore) expect(logsAfter).toContain(l);
  expect(gitSync(s.repo, s.env, ["status", "--porcelain"])).toBe("");
}, 120_000);
