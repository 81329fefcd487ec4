import { expect, test } from "bun:test";
import { readdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "pathe";
import { relaySandbox } from "../support/relay-fixture.ts";

// The machine, not rally, failing a write: a full disk is the user's to fix, so it is one error
// line naming it and what to do, not "a bug in rally"; and the state stays loadable. /dev/full
// answers every write with ENOSPC, so a relay log linked to it is a full disk for that file.

test("a full disk is a user error with its fix; the relay continues with --resume once there is space", async () => {
  await using s = await relaySandbox();
  expect((await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"], { script: "append:f.txt=1" })).code).toBe(0);
  const relaysDir = join(s.dataDir, "relays", readdirSync(join(s.dataDir, "relays"))[0]!);
  const nextLog = join(relaysDir, "relay-2.log");
  symlinkSync("/dev/full", nextLog);

  const full = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "t"], { script: "append:f.txt=2" });
  expect(full.code).toBe(1);
  expect(full.stderr).toBe(
    "error: no space left on device (free some disk space, then run `rally relay --resume` to carry on)\n",
  );

  rmSync(nextLog);
  const resumed = await s.run(["relay", "--resume", "--agent", "mine"], { script: "append:f.txt=3" });
  expect(resumed.code).toBe(0);
  expect(s.relays().map((r) => [r.id, r.completed_iterations, !!r.ended_at])).toEqual([[1, 1, true], [2, 1, true]]);
});
