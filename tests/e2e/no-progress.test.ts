import { expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { relayLogText, relaySandbox, SCRIPTED_AGENT } from "../support/relay-fixture.ts";

// opencode on a stream the provider keeps cutting restarts its step forever, with no error and a
// log that keeps growing (so the freeze detector cannot fire). rally must stop it and move on.
test("an agent restarting the same step without output is stopped for no progress; the relay rotates", async () => {
  await using s = await relaySandbox({ mine: "" });
  const bin = join(s.dir, "fake-bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "opencode"), `#!/bin/sh\n[ -n "$AGENT_SCRIPT_opencode" ] && export AGENT_SCRIPT="$AGENT_SCRIPT_opencode"\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(SCRIPTED_AGENT)} "$@"\n`);
  chmodSync(join(bin, "opencode"), 0o755);
  const steps = join(s.dir, "steps.jsonl");
  writeFileSync(steps, Array.from({ length: 40 }, (_, i) => JSON.stringify({ type: "step_start", sessionID: "ses_loop", part: { id: `prt_${i}`, type: "step-start" } })).join("\n") + "\n");
  const t0 = Date.now();
  const r = await s.run(["relay", "-i", "1", "--agent", "op mine", "t"], {
    env: { PATH: `${bin}:${s.env.PATH}`, AGENT_SCRIPT_opencode: `cat:${steps},sleep:60000`, AGENT_SCRIPT: "append:a.txt=1" },
  });
  expect(r.code).toBe(0);
  expect(Date.now() - t0).toBeLessThan(20_000);
  const [spun, next] = s.tries();
  expect(spun).toMatchObject({ agent_type: "opencode", completed: false, category: "stalled" });
  expect(spun!.fail_reason).toMatch(/^no progress: opencode restarted its step \d+ times without output/);
  expect(next).toMatchObject({ agent_type: "mine", completed: true });
  expect(relayLogText(s)).toContain("no progress (opencode restarted its step");
}, 30_000);
