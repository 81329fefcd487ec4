import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { gitSync } from "../support/rally.ts";
import { relaySandbox } from "../support/relay-fixture.ts";

/** The git subcommand of a traced argv (`git -c k=v commit …` → "commit"). */
const gitCommand = (argv: string[]) => {
  let i = 1;
  while (argv[i] === "-c") i += 2;
  return argv[i];
};

const log = (repo: string, env: Record<string, string>) => gitSync(repo, env, ["log", "--format=%s"]).trim().split("\n");

describe("rally relay with a custom harness", () => {
  test("seed 2a: one iteration creates the file, records a completed try and commits it", async () => {
    await using s = await relaySandbox();
    const r = await s.run(["relay", "--new", "--iterations", "1", "--agent", "mine", "Create an empty file called smoke-test.txt"], { script: "write:smoke-test.txt,say:created it" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[1/1] mine");
    expect(r.stdout).toContain("Relay complete.");
    expect(existsSync(join(s.repo, "smoke-test.txt"))).toBe(true);
    const [t] = s.tries();
    expect(t).toMatchObject({ id: 1, run_id: 1, relay_id: 1, agent_type: "mine", completed: true, outcome: "completed", files_changed: ["smoke-test.txt"], exit_code: 0 });
    expect(t!.summary).toContain("created it");
    expect(log(s.repo, s.env)[0]).toMatch(/^rally: run 1 attempt 1 \(mine\)/);
    expect(gitSync(s.repo, s.env, ["rev-parse", "HEAD"]).trim()).toBe(t!.commit_hash);
    expect(gitSync(s.repo, s.env, ["status", "--porcelain"])).toBe("");
    // The try log holds every byte the agent printed; the prompt reached the agent as an argument.
    expect(readFileSync(t!.log_path, "utf8")).toContain("created it");
    expect(s.invocations()[0]!.argv[0]).toContain("## Task\nCreate an empty file called smoke-test.txt");
    const relay = s.relays()[0]!;
    expect(relay).toMatchObject({ target_iterations: 1, completed_iterations: 1, agent_mix: "__override__:mine" });
    expect(relay.ended_at).toBeString();
  });

  test("seed 2i: a weighted mix `mine:2` runs twice on the same harness", async () => {
    await using s = await relaySandbox();
    const r = await s.run(["relay", "--new", "-i", "2", "--agent", "mine:2", "Create mix-test.txt"], { script: "append:mix-test.txt=x" });
    expect(r.code).toBe(0);
    expect(s.tries().map((t) => [t.agent_type, t.completed])).toEqual([["mine", true], ["mine", true]]);
    expect(s.relays()[0]!.agent_mix).toBe("__override__:mine:2");
  });

  test("round robin: `--agent \"a b\"` runs one of each, in order, then wraps", async () => {
    await using s = await relaySandbox({ a: "", b: "" });
    const r = await s.run(["relay", "-i", "3", "--agent", "a b", "work"], { script: "append:f.txt=1,say:ok" });
    expect(r.code).toBe(0);
    expect(s.tries().map((t) => t.agent_type)).toEqual(["a", "b", "a"]);
    expect(r.stdout).toMatch(/\[1\/3\] a[\s\S]*\[2\/3\] b[\s\S]*\[3\/3\] a/);
  });

  test("an iteration costs three git processes (status, add, commit); maintenance and the identity lookup run once per relay", async () => {
    await using s = await relaySandbox();
    const trace = join(s.dir, "git-trace.jsonl");
    // Every git process rally starts (and the ones git starts itself) logs its argv here.
    const r = await s.run(["relay", "--new", "-i", "3", "--agent", "mine", "t"], { script: "append:f.txt=x", env: { GIT_TRACE2_EVENT: trace } });
    expect(r.code).toBe(0);
    const commands = readFileSync(trace, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
      .filter((e) => e.event === "start").map((e) => gitCommand(e.argv));
    const iteration = ["status", "add", "commit"];
    expect(commands.slice(-10)).toEqual([...iteration, ...iteration, ...iteration, "maintenance"]);
    expect(commands.filter((c) => c === "maintenance")).toHaveLength(1);
    expect(commands.filter((c) => c === "rev-parse")).toHaveLength(0); // the workspace root comes from the files
    expect(commands.filter((c) => c === "config")).toHaveLength(1); // the commit identity, once
    // The recorded hashes are the commits git made (read from the ref files, not asked for).
    const hashes = gitSync(s.repo, s.env, ["log", "-3", "--format=%H"]).trim().split("\n").reverse();
    expect(s.tries().map((t) => t.commit_hash)).toEqual(hashes);
  });

  test("each try log is scoped by repo key under the data dir, and never reused", async () => {
    await using s = await relaySandbox();
    await s.run(["relay", "-i", "2", "--agent", "mine", "t"], { script: "append:a.txt=1" });
    const keyDirs = readdirSync(join(s.dataDir, "tries"));
    expect(keyDirs).toHaveLength(1);
    expect(keyDirs[0]).toMatch(/^repo-[0-9a-f]{4}$/);
    expect(readdirSync(join(s.dataDir, "tries", keyDirs[0]!)).sort()).toEqual(["try-1.log", "try-2.log"]);
    expect(readdirSync(join(s.dataDir, "relays", keyDirs[0]!))).toEqual(["relay-1.log"]);
    expect(readFileSync(join(s.dataDir, "relays", keyDirs[0]!, "relay-1.log"), "utf8")).toContain("relay 1 completed");
  });
});

describe("failed tries are recorded and the relay moves on", () => {
  test("a missing agent binary is an infra failure; the next runner carries on", async () => {
    await using s = await relaySandbox({ mine: "" });
    s.writeConfig('[harness.broken]\ncommand = ["rally-no-such-agent-binary", "$PROMPT"]');
    const r = await s.run(["relay", "-i", "1", "--agent", "broken mine", "t"], { script: "write:x.txt=1" });
    expect(r.code).toBe(0);
    const [first, second] = s.tries();
    expect(first).toMatchObject({ agent_type: "broken", completed: false, outcome: "failed", category: "binary_missing" });
    expect(first!.fail_reason).toBe("harness binary missing");
    expect(readFileSync(first!.log_path, "utf8")).toContain('could not start "rally-no-such-agent-binary": command not found');
    expect(second).toMatchObject({ agent_type: "mine", completed: true });
  });

  test("a relay that fails says so once, naming the last try's cause and its fix", async () => {
    await using s = await relaySandbox();
    s.writeConfig('[harness.broken]\ncommand = ["rally-no-such-agent-binary", "$PROMPT"]');
    const r = await s.run(["relay", "-i", "1", "--agent", "broken", "t"]);
    expect(r.code).toBe(1);
    const failures = r.stderr.split("\n").filter((l) => l.includes("relay failed"));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toStartWith("error: relay failed: all agents unavailable (last try: broken, harness binary missing: ");
    expect(failures[0]).toContain("command not found (install it or fix PATH)");
  });

  test("a harness path that does not exist says so, naming the workspace it was looked up in", async () => {
    await using s = await relaySandbox();
    s.writeConfig('[harness.broken]\ncommand = ["./agents/run.sh", "$PROMPT"]');
    const r = await s.run(["relay", "-i", "1", "--agent", "broken", "t"]);
    expect(r.code).toBe(1);
    expect(s.tries()[0]).toMatchObject({ category: "binary_missing" });
    expect(r.stderr).toContain(`could not start "./agents/run.sh": no such file in ${s.repo} (fix the path in the harness command)`);
  });

  test("a harness file that cannot be executed fails at once like a missing binary, with its fix", async () => {
    await using s = await relaySandbox({ mine: "" });
    const noExec = join(s.dir, "no-exec.sh");
    writeFileSync(noExec, "#!/bin/sh\necho hi\n", { mode: 0o644 });
    const noShebang = join(s.dir, "no-shebang.sh");
    writeFileSync(noShebang, "echo hi\n", { mode: 0o755 });
    const cases = [
      [noExec, `permission denied: make it executable (chmod +x ${noExec})`],
      [noShebang, "not an executable program: add a #!… line or point command at the interpreter"],
    ] as const;
    for (const [path, fix] of cases) {
      s.writeConfig(`[harness.x]\ncommand = [${JSON.stringify(path)}, "$PROMPT"]`);
      const r = await s.run(["relay", "--new", "-i", "1", "--agent", "x", "t"], { timeoutMs: 15_000 });
      expect(r.code).toBe(1);
      const last = s.tries().at(-1)!;
      expect(last).toMatchObject({ agent_type: "x", outcome: "failed", category: "binary_missing", attempt_number: 1 });
      expect(r.stderr).not.toContain("paused");
      expect(r.stderr).toContain(`error: relay failed: all agents unavailable (last try: x, harness binary missing: harness error: could not start "${path}": ${fix})`);
    }
    expect(s.tries()).toHaveLength(2); // one try each: no retries of an agent that cannot start
    // With another agent in the mix, the relay moves on to it.
    s.writeConfig(`[harness.x]\ncommand = [${JSON.stringify(noExec)}, "$PROMPT"]`);
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "x mine", "t"], { script: "write:y.txt=1" });
    expect(r.code).toBe(0);
    expect(s.tries().slice(-2)).toMatchObject([{ agent_type: "x", category: "binary_missing" }, { agent_type: "mine", completed: true }]);
  });

  test("a non-zero exit and an agent that prints nothing are failures with reasons", async () => {
    await using s = await relaySandbox();
    s.writeConfig("[reliability]\nretry_budget = 2");
    const r = await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "err:boom,exit:3" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("relay failed: all agents unavailable");
    const tries = s.tries();
    expect(tries.length).toBeGreaterThanOrEqual(1);
    expect(tries[0]).toMatchObject({ completed: false, outcome: "failed", exit_code: 3, category: "agent_error" });
    expect(s.relays()[0]!.ended_at).toBeString();

    await using q = await relaySandbox();
    q.writeConfig("[reliability]\nretry_budget = 1");
    const quiet = await q.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "sleep:1" });
    expect(quiet.code).toBe(1);
    expect(q.tries()[0]).toMatchObject({ completed: false, fail_reason: "agent produced no output and made no changes" });
  });

  test("an unknown alias is rejected before anything is written", async () => {
    await using s = await relaySandbox();
    const r = await s.run(["relay", "-i", "1", "--agent", "gm", "t"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown agent alias "gm"');
    expect(s.relays()).toEqual([]);
  });
});
