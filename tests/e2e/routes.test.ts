import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "pathe";
import { harnessToml, relaySandbox } from "../support/relay-fixture.ts";

// Seed 2d: role-based routes through the real CLI.
test("seed 2d: routes check summarises every route; a relay without --agent runs the default route", async () => {
  await using s = await relaySandbox({});
  writeFileSync(
    join(s.repo, ".rally/config.toml"),
    `schema_version = 2\ndata_dir = ${JSON.stringify(s.dataDir)}\n[routes]\ndefault = ["mine:2"]\nplanner = ["mine:2"]\nexecutor = ["mine:1"]\n${harnessToml("mine")}`,
  );
  const check = await s.run(["routes", "check"]);
  expect(check.code).toBe(0);
  expect(check.stdout).toContain("routes check summary:\n- default: 1 entry\n- executor: 1 entry\n- planner: 1 entry\n");
  expect(check.stdout).toContain('info: route "executor" is declared but not referenced by any current lap assignee');
  expect(check.stdout).toContain('info: route "planner" is declared but not referenced by any current lap assignee');

  const r = await s.run(["relay", "-i", "2", "t"], { script: "append:a.txt=1" });
  expect(r.code).toBe(0);
  expect(s.relays()[0]!.agent_mix).toBe("__routes__");
  expect(s.tries().map((t) => [t.agent_type, t.resolved_route, t.completed])).toEqual([["mine", "default", true], ["mine", "default", true]]);
});

test("an unknown alias in a route is an error naming the route, the entry and a suggestion", async () => {
  await using s = await relaySandbox({});
  writeFileSync(join(s.repo, ".rally/config.toml"), `schema_version = 2\n[routes]\ndefault = ["copex"]\n`);
  const r = await s.run(["routes", "check"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('route "default" entry "copex": unknown agent alias "copex"; did you mean codex, cx, op?');
});
