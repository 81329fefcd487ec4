import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { lapsRelaySandbox } from "../support/laps-relay-fixture.ts";
import { gitSync, rally } from "../support/rally.ts";

// Laps-backed relays end to end: the real CLI, the test laps CLI on PATH, and a scripted agent
// that runs `laps done` / `laps wrapup` like a real agent would.

const finish = (file: string, summary: string) => `write:${file}=done,sh:laps done,sh:laps wrapup --summary '${summary}'`;

describe("seed 2e: laps integration", () => {
  test("two laps, two runs: hooks installed, both files created, queue empty, summaries and commits", async () => {
    await using s = await lapsRelaySandbox();
    const id1 = s.addLap("head", "Task 1", "Create file task1.txt with content 'done'");
    const id2 = s.addLap("tail", "Task 2", "Create file task2.txt with content 'done'");
    const r = await s.run(["relay", "--new", "--iterations", "2", "--agent", "mine"], {
      env: { AGENT_SCRIPT_1: finish("task1.txt", "created task1.txt"), AGENT_SCRIPT_2: finish("task2.txt", "created task2.txt") },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Installed rally hooks in ${s.repo}/.laps/hooks/rally`);
    expect(r.stdout).toContain("Committed laps hook setup.");
    expect(r.stdout).toContain("Relay complete.");
    expect(r.stderr).not.toContain("defaulting to 50");
    expect(readFileSync(join(s.repo, "task1.txt"), "utf8")).toBe("done");
    expect(readFileSync(join(s.repo, "task2.txt"), "utf8")).toBe("done");
    expect(s.laps(["list"]).stdout).toBe("");
    expect(s.queue().every((l) => l.isDone)).toBe(true);

    // Each run's prompt is its lap: title, description and the Lap ID requirement.
    const prompts = s.invocations().map((i) => i.argv[0]!);
    expect(prompts[0]).toContain("Task: Task 1");
    expect(prompts[0]).toContain(`Lap ID: ${id1}`);
    expect(prompts[0]).toContain("## Task\nCreate file task1.txt with content 'done'");
    expect(prompts[0]).toContain("laps done");
    expect(prompts[0]).not.toContain("rally progress");
    expect(prompts[1]).toContain(`Lap ID: ${id2}`);

    expect(s.tries().map((t) => [t.lap_id, t.recorded_laps, t.outcome])).toEqual([
      [id1, [id1], "completed"],
      [id2, [id2], "completed"],
    ]);
    expect(s.summaries().map((e) => [e.run_id, e.summary, e.laps_completed])).toEqual([
      ["relay-1-run-1", "created task1.txt", [id1]],
      ["relay-1-run-2", "created task2.txt", [id2]],
    ]);
    // The commit table in README.md ("Laps" section).
    expect(s.commits()).toEqual([
      "init",
      "rally: initialize workspace",
      "chore: laps init",
      "rally: install laps hooks",
      "rally: update role files",
      "rally: run 1 attempt 1 (mine)",
      "rally: run 2 attempt 1 (mine)",
    ]);
    const hookCommit = gitSync(s.repo, s.env, ["show", "--name-only", "--format=", "HEAD~3"]).trim().split("\n").sort();
    expect(hookCommit).toEqual([
      ".laps/hooks.json", ".laps/hooks/rally/laps-done-hook.sh", ".laps/hooks/rally/laps-handoff-hook.sh", ".laps/hooks/rally/laps-wrapup-hook.sh",
    ]);
    expect(gitSync(s.repo, s.env, ["status", "--porcelain"])).toBe("");
    // The hooks left their audit trail; `rally hooks` shows it.
    const logs = await s.run(["hooks", "logs"]);
    expect(logs.stdout).toContain(`"hook":"laps-done","lap_id":"${id1}"`);
    expect(logs.stdout).toContain(`"hook":"laps-wrapup"`);
  });

  test("without -i the relay runs until the queue is empty; a second relay reinstalls nothing", async () => {
    await using s = await lapsRelaySandbox();
    s.addLap("head", "Only", "Create only.txt");
    const r = await s.run(["relay", "--new", "--agent", "mine"], { script: finish("only.txt", "made it") });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("defaulting to 50");
    expect(r.stdout).toContain("Relay complete: the laps queue is empty.");
    const relay = s.relays()[0]!;
    expect(relay).toMatchObject({ target_iterations: 10000, completed_iterations: 1 });
    expect(relay.ended_at).toBeString();
    expect(s.relayLog()).toContain("relay 1 completed: laps queue empty");

    const before = s.commits().length;
    const again = await s.run(["relay", "--new", "--agent", "mine"]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("Installed rally hooks");
    expect(again.stdout).toContain("Relay complete: the laps queue is empty.");
    expect(s.commits().length).toBe(before);
  });

  test("a modified rally hook script is restored (back to the committed text, so no new commit)", async () => {
    await using s = await lapsRelaySandbox();
    await s.run(["relay", "--new", "--agent", "mine"]);
    const script = join(s.repo, ".laps/hooks/rally/laps-done-hook.sh");
    writeFileSync(script, "#!/bin/sh\necho tampered\n");
    const r = await s.run(["relay", "--new", "--agent", "mine"]);
    expect(r.stdout).toContain("Installed rally hooks in");
    expect(readFileSync(script, "utf8")).toContain("Marked done.");
    expect(s.commits().filter((c) => c === "rally: install laps hooks")).toHaveLength(1);
    expect(gitSync(s.repo, s.env, ["status", "--porcelain", "--", ".laps"])).toBe("");
  });
});

describe("laps prompt inputs", () => {
  test("[laps] instructions_file is the project instructions; a CLI prompt is ignored with a warning", async () => {
    await using s = await lapsRelaySandbox();
    s.writeConfig('[laps]\ninstructions_file = "LAPS.md"\n');
    writeFileSync(join(s.repo, "LAPS.md"), "Always run the linter.");
    s.addLap("head", "Lint", "Fix lint");
    const r = await s.run(["relay", "--new", "--agent", "mine", "do something else"], { script: finish("l.txt", "ok") });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("the prompt given on the command line is ignored");
    const prompt = s.invocations()[0]!.argv[0]!;
    expect(prompt).toContain("## Project Instructions\nAlways run the linter.");
    expect(prompt).toContain("## Task\nFix lint");
    expect(prompt).not.toContain("do something else");
  });
});

describe("laps detection warnings", () => {
  test(".laps/ without a laps binary: warning naming the fix, free-run mode", async () => {
    await using s = await lapsRelaySandbox();
    const path = s.env.PATH!.split(":").filter((d) => !d.endsWith("laps/bin")).join(":");
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine", "free task"], { script: "append:f.txt=1", env: { PATH: path } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: this workspace uses .laps/ but laps is not installed; run `rally update` to install it");
    expect(r.stdout).not.toContain("Installed rally hooks");
    expect(s.tries()[0]!.lap_id).toBeUndefined();
  });

  test("a laps older than 0.8.1: warning naming both versions and `rally update`", async () => {
    await using s = await lapsRelaySandbox();
    const r = await s.run(["relay", "--new", "--agent", "mine"], { env: { LAPS_FAKE_VERSION: "0.8.0" } });
    expect(r.stderr).toContain("warning: laps v0.8.0 is older than the required v0.8.1; run `rally update` to upgrade");
  });
});

describe("rally --help in a laps workspace", () => {
  // Agents in a laps workspace record progress through laps, so root help leaves `progress` out
  // (spec 01 §1, spec 05 §6.1); the command itself still works.
  const listsProgress = (help: string) => /^ {2}progress /m.test(help);

  test("root help leaves out progress, from the root and from a subdirectory", async () => {
    await using s = await lapsRelaySandbox();
    const sub = join(s.repo, "pkg", "src");
    mkdirSync(sub, { recursive: true });
    for (const [cwd, args] of [[s.repo, ["--help"]], [sub, ["--help"]], [sub, []], [s.repo, ["help"]]] as const) {
      const r = await rally([...args], { cwd, env: s.env });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("  relay, start ");
      expect({ cwd, args, listed: listsProgress(r.stdout) }).toEqual({ cwd, args, listed: false });
    }
    const help = await rally(["progress", "--help"], { cwd: sub, env: s.env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--summary");
  });

  test("without laps on PATH the workspace is not in laps mode, and progress is listed", async () => {
    await using s = await lapsRelaySandbox();
    const path = s.env.PATH!.split(":").filter((d) => !d.endsWith("laps/bin")).join(":");
    const r = await rally(["--help"], { cwd: s.repo, env: { ...s.env, PATH: path } });
    expect(listsProgress(r.stdout)).toBe(true);
  });
});

describe("assignee routing and role instructions", () => {
  const routes = '[routes]\ndefault = ["a"]\nsenior = ["b"]\n';

  test("a lap assigned SENIOR runs on the senior route with the senior role text", async () => {
    await using s = await lapsRelaySandbox({ a: "", b: "" });
    s.writeConfig(routes);
    const id = s.addLap("head", "Hard one", "Refactor the parser", "SENIOR");
    const r = await s.run(["relay", "--new"], { script: finish("parser.txt", "refactored") });
    expect(r.code).toBe(0);
    const [t] = s.tries();
    expect(t).toMatchObject({ agent_type: "b", resolved_route: "senior", lap_id: id, lap_assignee: "SENIOR", completed: true });
    const prompt = s.invocations()[0]!.argv[0]!;
    expect(prompt).toContain("Assignee: SENIOR");
    expect(prompt).toContain("## Role Instructions\nYou are working as a SENIOR engineer");
  });

  test("a user role file overrides the built-in one (case-insensitive)", async () => {
    await using s = await lapsRelaySandbox({ a: "", b: "" });
    s.writeConfig(routes);
    s.addLap("head", "Hard one", "Refactor", "senior");
    await s.run(["relay", "--new", "-i", "1"], { script: "say:prep" }); // creates .rally/agents/user/
    writeFileSync(join(s.repo, ".rally/agents/user/Senior.md"), "House rules for seniors.");
    await s.run(["relay", "--new", "-i", "1"], { script: finish("x.txt", "ok") });
    const prompt = s.invocations().at(-1)!.argv[0]!;
    expect(prompt).toContain("## Role Instructions\nHouse rules for seniors.");
    expect(existsSync(join(s.repo, ".rally/agents/builtin/senior.md"))).toBe(true);
  });

  test("an unknown assignee falls back to the default route with a warning", async () => {
    await using s = await lapsRelaySandbox({ a: "", b: "" });
    s.writeConfig(routes);
    s.addLap("head", "Odd one", "Do it", "wizard");
    const r = await s.run(["relay", "--new"], { script: finish("w.txt", "done") });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('routing: no route matched assignee "wizard"; falling back to default');
    expect(s.tries()[0]).toMatchObject({ agent_type: "a", resolved_route: "default", lap_assignee: "wizard" });
  });

  test("`rally routes check` reads the laps assignees", async () => {
    await using s = await lapsRelaySandbox({ a: "", b: "" });
    s.writeConfig(routes);
    const unreferenced = 'info: route "senior" is declared but not referenced by any current lap assignee';
    expect((await s.run(["routes", "check"])).stdout).toContain(unreferenced);
    s.addLap("head", "x", "y", "SENIOR");
    expect((await s.run(["routes", "check"])).stdout).not.toContain(unreferenced);
  });
});

describe("run outcomes", () => {
  test("handoff: the run succeeds as handoff_requested, the followup becomes the head lap", async () => {
    await using s = await lapsRelaySandbox();
    const id = s.addLap("head", "Auth", "Add login");
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine"], {
      script: "append:auth.txt=wip,commit:wip auth,sh:laps handoff,sh:laps wrapup --summary 'blocked on tokens' --followup 'Add a token store'",
    });
    expect(r.code).toBe(0);
    const [t] = s.tries();
    expect(t).toMatchObject({ completed: true, outcome: "handoff_requested", lap_id: id, summary: "blocked on tokens" });
    expect(t!.dirty_handoff).toBeUndefined();
    const queue = s.queue().filter((l) => !l.isDone);
    expect(queue.map((l) => l.title)).toEqual(["Add a token store", "Auth"]);
    expect(t!.handoff_created_lap_ids).toEqual([queue[0]!.id]);
    expect(s.summaries()[0]).toMatchObject({ summary: "blocked on tokens", laps_completed: "none", handoff: { followups: ["Add a token store"], created_lap_ids: [queue[0]!.id] } });
    expect(s.laps(["list"]).stdout.split("\n")[0]).toContain("Add a token store");
  });

  test("the agent leaves its changes without `laps done`: incomplete, no auto-commit, retry told why", async () => {
    await using s = await lapsRelaySandbox();
    s.addLap("head", "Half", "Write half.txt");
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "mine"], {
      env: { AGENT_SCRIPT_1: "write:half.txt=x", AGENT_SCRIPT_2: finish("rest.txt", "finished") },
    });
    expect(r.code).toBe(0);
    const [first, second] = s.tries();
    expect(first).toMatchObject({ completed: false, outcome: "incomplete", commit_hash: "", attempt_number: 1 });
    expect(first!.fail_reason).toContain("incomplete");
    expect(second).toMatchObject({ completed: true, attempt_number: 2 });
    expect(s.invocations()[1]!.argv[0]).toContain("Your previous attempt on this lap was incomplete");
    expect(s.commits().at(-1)).toBe("rally: run 1 attempt 2 (mine)");
  });

  test("lap-pin mismatch: the agent completes another lap → wrong_lap_consumed, the run ends", async () => {
    await using s = await lapsRelaySandbox({ a: "", b: "" });
    const head = s.addLap("head", "First", "one");
    const other = s.addLap("tail", "Second", "two");
    // Two runners: a failed run benches its runner for the rest of the lane's round.
    const r = await s.run(["relay", "--new", "-i", "1", "--agent", "a b"], {
      env: { AGENT_SCRIPT_1: `sh:laps done ${other}`, AGENT_SCRIPT_2: finish("one.txt", "did one") },
    });
    expect(r.code).toBe(0);
    const [bad, good] = s.tries();
    expect(bad).toMatchObject({ run_id: 1, completed: false, fail_reason: "wrong_lap_consumed", lap_id: head, recorded_laps: [other] });
    expect(good).toMatchObject({ run_id: 2, attempt_number: 1, completed: true, lap_id: head });
    expect(s.relayLog()).toContain("lap pin mismatch warning: wrong_lap_consumed");
  });

  test("the laps marker printed as text instead of run: the try fails", async () => {
    await using s = await lapsRelaySandbox();
    s.addLap("head", "Echo", "x");
    await s.run(["relay", "--new", "-i", "1", "--agent", "mine"], { env: { AGENT_SCRIPT_1: "say:laps done", AGENT_SCRIPT_2: finish("e.txt", "ok") } });
    expect(s.tries()[0]).toMatchObject({ completed: false, fail_reason: "laps done emitted as text, hook never ran" });
  });
});

describe("recovery routing", () => {
  const routes = '[routes]\ndefault = ["a"]\nrecovery = ["b"]\n';
  const dirtyHandoff = (n: number) => `write:w${n}.txt=x,sh:laps handoff,sh:laps wrapup --summary 'stuck ${n}' --followup 'Unblock ${n}'`;

  test("a dirty handoff sends the next run to the recovery route with the recovery role", async () => {
    await using s = await lapsRelaySandbox({ a: "", b: "" });
    s.writeConfig(routes);
    const id = s.addLap("head", "Build", "Fix the build", "junior");
    const r = await s.run(["relay", "--new", "-i", "2"], {
      env: { AGENT_SCRIPT_1: dirtyHandoff(1), AGENT_SCRIPT_2: "commit:recovered,sh:laps done,sh:laps wrapup --summary fixed --classification continue" },
    });
    expect(r.code).toBe(0);
    const [dirty, recovery] = s.tries();
    expect(dirty).toMatchObject({ agent_type: "a", outcome: "handoff_requested", completed: true, dirty_handoff: true, commit_hash: "", lap_id: id, lap_assignee: "junior" });
    expect(recovery).toMatchObject({ agent_type: "b", resolved_route: "recovery", recovery_classification: "continue", completed: true });
    expect(recovery!.lap_id).toBe(dirty!.handoff_created_lap_ids[0]);
    const prompt = s.invocations()[1]!.argv[0]!;
    expect(prompt).toContain("You are running a RECOVERY pass");
    expect(prompt).toContain("## Leftover Changes");
    expect(s.commits()).toContain("recovered");
  });

  test("the cap: after two recovery runs in a row the lap goes back to its route and needs_user is raised", async () => {
    await using s = await lapsRelaySandbox({ a: "", b: "" });
    s.writeConfig(routes);
    s.addLap("head", "Build", "Fix the build");
    const r = await s.run(["relay", "--new", "-i", "4"], {
      env: { AGENT_SCRIPT_1: dirtyHandoff(1), AGENT_SCRIPT_2: dirtyHandoff(2), AGENT_SCRIPT_3: dirtyHandoff(3), AGENT_SCRIPT_4: finish("w4.txt", "gave up") },
    });
    expect(r.code).toBe(0);
    expect(s.tries().map((t) => [t.agent_type, t.resolved_route, !!t.dirty_handoff])).toEqual([
      ["a", "default", true],
      ["b", "recovery", true],
      ["b", "recovery", true],
      ["a", "default", false],
    ]);
    expect(r.stderr).toMatch(/routing: recovery cap reached for lap "[^"]+" after 2 consecutive recovery run\(s\); falling back to normal route and raising needs_user/);
    expect(r.stdout).toContain("needs_user");
    expect(s.relayLog()).toContain("needs_user");
  });
});
