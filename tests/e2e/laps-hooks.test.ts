import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "pathe";
import { lapsRelaySandbox } from "../support/laps-relay-fixture.ts";

// `rally hooks list|logs|help` through the real CLI (spec 05 §8).

describe("rally hooks", () => {
  test("before any laps relay: no hooks file, no audit log", async () => {
    await using s = await lapsRelaySandbox();
    expect((await s.run(["hooks", "list"])).stdout).toBe("No .laps/hooks.json found. Run a rally command in a laps-enabled workspace to install hooks.\n");
    expect((await s.run(["hooks", "logs"])).stdout).toBe("No hook audit log yet (.rally/state/hook-audit.jsonl).\n");
  });

  test("list shows user hooks first, then rally's three; logs -n limits the lines", async () => {
    await using s = await lapsRelaySandbox();
    writeFileSync(join(s.repo, ".laps/hooks.json"), JSON.stringify({ version: 1, hooks: [{ title: "mine", description: "d", command: "done", when: "after", run: "true", passback: false }] }));
    s.addLap("head", "One", "x");
    s.addLap("tail", "Two", "y");
    const fin = "sh:laps done,sh:laps wrapup --summary ok";
    await s.run(["relay", "--new", "--agent", "mine"], { script: fin });
    const list = (await s.run(["hooks", "list"])).stdout;
    expect(list).toStartWith("mine [user]\n  d\n  on: after done\n  run: true\n");
    expect(list).toContain("rally:laps-done [rally]\n  Records lap completion and prompts for wrapup\n  on: after done\n  run: .laps/hooks/rally/laps-done-hook.sh \"$id\"\n");
    expect(list).toContain("rally:laps-wrapup [rally]");
    const all = (await s.run(["hooks", "logs", "-n", "0"])).stdout.trim().split("\n");
    expect(all).toHaveLength(4); // done + wrapup, twice
    expect((await s.run(["hooks", "logs", "-n", "1"])).stdout.trim().split("\n")).toEqual([all.at(-1)!]);
  });

  test("help explains the three hooks and the audit log", async () => {
    await using s = await lapsRelaySandbox();
    const r = await s.run(["hooks", "help"]);
    expect(r.code).toBe(0);
    for (const word of ["rally:laps-done", "rally:laps-handoff", "rally:laps-wrapup", "hook-audit.jsonl"]) expect(r.stdout).toContain(word);
  });
});
