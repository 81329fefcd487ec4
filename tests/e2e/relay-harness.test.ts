import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { MAIN, rally, sandbox } from "../support/rally.ts";
import { harnessToml, jsonl, relaySandbox, SCRIPTED_AGENT } from "../support/relay-fixture.ts";
import { shellQuote, tmuxSession } from "../support/tmux.ts";

const bunArgv = (rest: string) => `[${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPTED_AGENT)}${rest}]`;

describe("custom harness invocation", () => {
  test("$PROMPT inside an argument, model_flag, extra_args and env", async () => {
    await using s = await relaySandbox({});
    s.writeConfig(`[harness.mine]\ncommand = ${bunArgv(', "--prompt=$PROMPT"')}\nmodel_flag = "--model"\nextra_args = ["--verbose"]\nenv = { X_GATEWAY = "http://127.0.0.1:9" }\n[harness.mine.models]\nfast = "fast-model-1"`);
    const r = await s.run(["relay", "-i", "1", "--agent", "mine:fast", "Do it; $(touch pwned) && rm -rf ."], { script: "append:a.txt=1" });
    expect(r.code).toBe(0);
    const [inv] = s.invocations();
    expect(inv!.argv[0]).toStartWith("--prompt=");
    expect(inv!.argv[0]).toContain("Do it; $(touch pwned) && rm -rf .");
    expect(inv!.argv.slice(1)).toEqual(["--verbose", "--model", "fast-model-1"]);
    expect(inv!.stdin).toBe("");
    expect(inv!.env.X_GATEWAY).toBe("http://127.0.0.1:9");
    expect(existsSync(join(s.repo, "pwned"))).toBe(false); // no shell ever saw the prompt
    expect(s.tries()[0]!.model).toBe("fast-model-1");
  });

  test("without $PROMPT the prompt goes to stdin; model_flag = \"\" passes the model bare", async () => {
    await using s = await relaySandbox({});
    s.writeConfig(`[harness.mine]\ncommand = ${bunArgv("")}\nmodel_flag = ""`);
    const r = await s.run(["relay", "-i", "1", "--agent", "mine:vendor/model-x", "stdin task"], { script: "append:a.txt=1" });
    expect(r.code).toBe(0);
    const [inv] = s.invocations();
    expect(inv!.argv).toEqual(["vendor/model-x"]);
    expect(inv!.stdin).toContain("## Task\nstdin task");
  });

  test("model_flag omitted: the model is not passed, and rally says so", async () => {
    await using s = await relaySandbox({});
    s.writeConfig(`[harness.mine]\ncommand = ${bunArgv(', "$PROMPT"')}`);
    const r = await s.run(["relay", "-i", "1", "--agent", "mine:vendor/model-x", "t"], { script: "append:a.txt=1" });
    expect(r.code).toBe(0);
    expect(s.invocations()[0]!.argv).toHaveLength(1);
    expect(r.stdout).toContain('harness "mine" has no model_flag, so model "vendor/model-x" is not passed');
  });

  test("output_lines and tail_stream pick the summary", async () => {
    await using s = await relaySandbox({});
    s.writeConfig(harnessToml("mine", 'tail_stream = "stderr"\noutput_lines = 2'));
    await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "say:out-1,err:err-1,err:err-2,err:err-3,append:a.txt=1" });
    expect(s.tries()[0]!.summary).toBe("err-2\nerr-3");
  });
});

describe("seed 2k, 2l, 2m: tail, progress, instructions", () => {
  test("tail shows the latest or the N-th try's log; bad N is a clear error", async () => {
    await using s = await relaySandbox();
    await s.run(["relay", "-i", "2", "--agent", "mine", "t"], { script: "say:hello from the agent,append:a.txt=1" });
    const latest = await s.run(["tail"]);
    expect(latest.code).toBe(0);
    expect(latest.stdout).toBe("hello from the agent\n");
    expect((await s.run(["tail", "--try", "1"])).stdout).toBe("hello from the agent\n");
    const bad = await s.run(["tail", "--try", "9"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("valid range: 1-2");
  });

  test("tail --highlight: off is byte for byte, heuristic is plain when piped, chroma colours anyway, bad modes are refused", async () => {
    await using s = await relaySandbox();
    await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: 'say:{"ok":true},say:$ ls -la,append:a.txt=1' });
    const log = '{"ok":true}\n$ ls -la\n';
    expect((await s.run(["tail", "--highlight", "off"])).stdout).toBe(log);
    expect((await s.run(["tail", "--highlight", "heuristic"])).stdout).toBe(log);
    const chroma = await s.run(["tail", "--highlight", "chroma"]);
    expect(chroma.stdout).toContain("\x1b[38;5;");
    expect(chroma.stdout.replace(/\x1b\[[0-9;]*m/g, "")).toBe(log);
    const bad = await s.run(["tail", "--highlight", "bogus"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: invalid highlight mode "bogus", expected one of: off, heuristic, chroma (e.g. --highlight heuristic)\n');
  });

  test("tail --highlight heuristic colours on a terminal (tmux): a JSON line is one green span", async () => {
    await using s = await relaySandbox();
    await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: 'say:{"ok":true},append:a.txt=1' });
    const cmd = `cd ${shellQuote(s.repo)} && ${shellQuote(process.execPath)} ${shellQuote(MAIN)} tail --highlight heuristic; echo EXIT=$?`;
    const { NO_COLOR: _, ...env } = s.env;
    await using t = tmuxSession(cmd, { width: 100, env: { ...env, TERM: "xterm-256color" } });
    await t.waitFor("EXIT=0");
    const screen = Bun.spawnSync(["tmux", "capture-pane", "-e", "-p", "-t", t.name]).stdout.toString();
    expect(screen).toContain('\x1b[92m{"ok":true}');
  }, 30_000);

  test("tail with no tries", async () => {
    await using s = await relaySandbox();
    const r = await s.run(["tail"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no tries recorded in this workspace");
  });

  test("tail follows a running try until it ends", async () => {
    await using s = await relaySandbox();
    const relay = s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "say:first,sleep:1500,say:second,append:a.txt=1" });
    while (!s.invocations().length) await Bun.sleep(50);
    await Bun.sleep(200);
    const tail = await s.run(["tail"]);
    await relay;
    expect(tail.code).toBe(0);
    expect(tail.stdout).toBe("first\nsecond\n");
  });

  test("progress appends summary entries; an agent calling it finalizes its run", async () => {
    await using s = await relaySandbox();
    expect((await s.run(["progress", "--summary", "test done"])).code).toBe(0);
    expect((await s.run(["progress", "--complete", "--summary", "all done", "--followup", "check results"])).code).toBe(0);
    const entries = jsonl(join(s.repo, ".rally/summary.jsonl"));
    expect(entries.map((e) => e.summary)).toEqual(["test done", "all done"]);
    expect(entries[1]!.handoff).toBeUndefined();
    const none = await s.run(["progress"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no action specified");
    expect((await s.run(["progress", "--complete"])).stderr).toContain("--summary is required for --complete");

    await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "append:a.txt=1,progress:did the thing" });
    const last = jsonl(join(s.repo, ".rally/summary.jsonl")).at(-1)!;
    expect(last).toMatchObject({ run_id: "relay-1-run-1", summary: "did the thing" });
    expect(s.tries()[0]!.completed).toBe(true);
  });

  test("instructions show", async () => {
    await using s = await relaySandbox();
    expect((await s.run(["instructions", "show"])).stdout).toBe("(no project instructions set)\n");
    writeFileSync(join(s.repo, ".rally/instructions.md"), "Use tabs.\n");
    expect((await s.run(["instructions", "show"])).stdout).toBe("Use tabs.\n");
    await s.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "append:a.txt=1" });
    expect(s.invocations()[0]!.argv[0]).toContain("## Project Instructions\nUse tabs.");
    const edit = await s.run(["instructions", "edit"], { env: { EDITOR: "true", VISUAL: "" } });
    expect(edit.code).toBe(0);
  });
});

describe("log scoping and set-up errors", () => {
  test("two repos sharing one data dir get separate subdirectories", async () => {
    await using a = await relaySandbox();
    await using b = await relaySandbox();
    writeFileSync(join(b.repo, ".rally/config.toml"), `schema_version = 2\ndata_dir = ${JSON.stringify(a.dataDir)}\n${harnessToml("mine")}`);
    await a.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "append:x=1" });
    await b.run(["relay", "-i", "1", "--agent", "mine", "t"], { script: "append:x=1" });
    const dirs = readdirSync(join(a.dataDir, "tries"));
    expect(dirs).toHaveLength(2);
    for (const d of dirs) expect(readdirSync(join(a.dataDir, "tries", d))).toEqual(["try-1.log"]);
  });

  test("relay before `rally init` is refused", async () => {
    await using s = sandbox();
    const r = await rally(["relay", "-i", "1", "--agent", "cc", "t"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("rally not initialized (run `rally init` first)");
  });
});
