import { expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { lapsRelaySandbox, type LapsRelaySandbox } from "../support/laps-relay-fixture.ts";
import { SCRIPTED_AGENT } from "../support/relay-fixture.ts";

// The run budget runs out in a laps run (spec 04 §8.3, cases C2–C4). Budgets under 300 s are
// rounded up, so this takes five minutes; both cases run side by side.

const CLAUDE_CAPTURE = join(import.meta.dir, "..", "fixtures", "agents", "claude", "text.stdout.txt");
const BUDGETS = "[reliability]\nrun_timeout_secs = 300\ntry_timeout_secs = 300\nhandoff_timeout_secs = 300\nretry_budget = 3";

function fakeClaude(s: LapsRelaySandbox): void {
  const bin = join(s.dir, "fake-bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "claude"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(SCRIPTED_AGENT)} "$@"\n`);
  chmodSync(join(bin, "claude"), 0o755);
  s.env.PATH = `${bin}:${s.env.PATH}`;
}

test("run budget exhausted: a resumable session gets one handoff-only try; a custom harness records handoff_timeout", async () => {
  await using resumable = await lapsRelaySandbox({});
  await using plain = await lapsRelaySandbox({ mine: "" });
  fakeClaude(resumable);
  resumable.writeConfig(BUDGETS);
  plain.writeConfig(BUDGETS);
  resumable.addLap("head", "Big job", "Do the big job");
  plain.addLap("head", "Big job", "Do the big job");

  const [r, p] = await Promise.all([
    resumable.run(["relay", "--new", "-i", "1", "--agent", "cc"], {
      env: {
        AGENT_SCRIPT_1: `cat:${CLAUDE_CAPTURE},sleep:400000`,
        AGENT_SCRIPT_2: `cat:${CLAUDE_CAPTURE},sh:laps handoff,sh:laps wrapup --summary 'out of time at step 3' --followup 'Finish the big job'`,
      },
      timeoutMs: 400_000,
    }),
    plain.run(["relay", "--new", "-i", "1", "--agent", "mine"], { script: "say:working,sleep:400000", timeoutMs: 400_000 }),
  ]);

  expect(r.code).toBe(0);
  const [timedOut, handoff] = resumable.tries();
  expect(timedOut).toMatchObject({ agent_type: "claude", outcome: "run_timeout", attempt_number: 1 });
  expect(handoff).toMatchObject({ agent_type: "claude", handoff_only: true, attempt_number: 2, outcome: "handoff_requested", completed: true, files_changed: [] });
  const [, second] = resumable.invocations();
  expect(second!.argv).toContain("--resume");
  expect(second!.argv[second!.argv.indexOf("--resume") + 1]).toBe(timedOut!.session_id);
  expect(second!.argv.join(" ") + second!.stdin).toContain("Handoff-Only Continuation");
  expect(resumable.queue().filter((l) => !l.isDone).map((l) => l.title)[0]).toBe("Finish the big job");

  const [only] = plain.tries();
  expect(only).toMatchObject({ agent_type: "mine", outcome: "handoff_timeout", fail_reason: "run timeout; harness cannot resume for handoff" });
  expect(plain.tries()).toHaveLength(1);
  expect(p.stdout + p.stderr).not.toContain("error: unexpected");
}, 420_000);
