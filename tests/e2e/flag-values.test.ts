import { describe, expect, test } from "bun:test";
import { rally, sandbox } from "../support/rally.ts";
import { relaySandbox } from "../support/relay-fixture.ts";

// citty would read a value flag with no value as "" (or drop it) and `--switch=anything` as on;
// rally must refuse such arguments before the command does any work.

describe("flag values through the real CLI", () => {
  test("a value flag without its value is one error line, exit 1, and nothing starts", async () => {
    await using s = sandbox();
    expect((await rally(["init"], { cwd: s.repo, env: s.env })).code).toBe(0);
    const cases: [string[], string][] = [
      [["relay", "--agent"], "error: --agent needs a value (pass --agent <value>)\n"],
      [["relay", "-a"], "error: -a needs a value (pass -a <value>)\n"],
      [["relay", "-i", "1", "x", "--agent"], "error: --agent needs a value (pass --agent <value>)\n"],
      [["relay", "--iterations"], "error: --iterations needs a value (pass --iterations <value>)\n"],
      [["relay", "--iterations="], "error: --iterations needs a value (pass --iterations <value>)\n"],
      [["relay", "--iterations", "--new"], 'error: --iterations needs a value (pass --iterations <value>, or --iterations=<value> when the value starts with "-")\n'],
      [["tail", "--try"], "error: --try needs a value (pass --try <value>)\n"],
      [["progress", "--summary"], "error: --summary needs a value (pass --summary <value>)\n"],
      [["progress", "--record-lap"], "error: --record-lap needs a value (pass --record-lap <value>)\n"],
      [["relay", "--new=maybe", "-i", "0"], 'error: --new takes no value, got "--new=maybe" (write --new on its own)\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await rally(args, { cwd: s.repo, env: s.env, timeoutMs: 15_000 });
      expect({ args, ...r }).toEqual({ args, code: 1, stdout: "", stderr });
    }
  });

  test("a short flag written with = (-i=2, as Go's flag parsers accept) takes the value after the =", async () => {
    await using s = await relaySandbox();
    const r = await s.run(["relay", "-i=2", "-a=mine", "t"], { script: "append:f.txt=x" });
    expect(r.code).toBe(0);
    expect(s.tries().map((t) => [t.agent_type, t.completed])).toEqual([["mine", true], ["mine", true]]);
  });

  test("an unknown flag close to a real one gets a did-you-mean", async () => {
    await using s = sandbox();
    const r = await rally(["relay", "--itrations", "2"], { cwd: s.repo, env: s.env });
    expect(r).toEqual({ code: 1, stdout: "", stderr: "error: unknown flag: --itrations (did you mean --iterations?)\n" });
  });

  test("a command with two letters swapped gets a did-you-mean", async () => {
    await using s = sandbox();
    const r = await rally(["relya"], { cwd: s.repo, env: s.env });
    expect(r).toEqual({ code: 1, stdout: "", stderr: 'error: unknown command "relya" for "rally" (did you mean "relay"?)\n' });
  });
});
