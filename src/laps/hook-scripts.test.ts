// End-to-end: rally's installed hook scripts fired by the test laps, with a stub `rally` on PATH
// that logs its argv (spec 09 §9 cases 25–26 up to `rally progress`; spec 05 cases 29–30).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readJsonLines, tempRepo, writeStubRally, type TempRepo } from "../../tests/support/laps/testkit.ts";
import { installRallyHooks } from "./install-hooks.ts";

let repo: TempRepo;
let stubDir: string;
let stubLog: string;
let env: Record<string, string>;

beforeEach(() => {
  repo = tempRepo();
  stubDir = join(repo.root, "..", "stub-bin");
  stubLog = join(repo.root, "..", "rally-calls.jsonl");
  writeStubRally(stubDir, stubLog);
  env = { PATH: `${stubDir}:${process.env.PATH}` };
  installRallyHooks(repo.root);
});
afterEach(() => repo.cleanup());

const rallyCalls = () => readJsonLines(stubLog);
const statePath = () => join(repo.root, ".rally", "state", "run-state.json");
const auditLines = () => readJsonLines(join(repo.root, ".rally", "state", "hook-audit.jsonl")) as Record<string, unknown>[];

function writeRunState(handoff: number): void {
  mkdirSync(join(repo.root, ".rally", "state"), { recursive: true });
  writeFileSync(statePath(), `{\n  "run_id": "run-real-1",\n  "handoff_state": ${handoff},\n  "recorded_laps": []\n}`);
}

function runScript(name: string, args: string[], extraEnv: Record<string, string> = {}) {
  const proc = Bun.spawnSync([join(repo.root, ".laps", "hooks", "rally", name), ...args], {
    cwd: repo.root, env: { ...process.env, ...env, ...extraEnv }, stdout: "pipe", stderr: "pipe",
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

describe("through laps", () => {
  test("claim → done records the claimed lap and prompts for wrapup; wrapup completes", () => {
    writeRunState(0);
    const id = repo.add("head", "Implement auth", ["--assignee", "alice"]);
    expect(repo.laps(["claim"], env).code).toBe(0);
    const done = repo.laps(["done"], env);
    expect(done.code).toBe(0);
    expect(done.stdout).toStartWith("Implement auth\n\n-----\nNot the lap you intended to mark done?");
    expect(done.stdout).toContain("'laps done undo'\nMarked done. Commit your work and wrap up this run before exiting:");
    expect(done.stdout).toContain('git commit -m "<lap-description>: done"');
    expect(done.stdout).toContain('laps wrapup --summary "<one-line summary>" --followup "<next task>"');
    const wrap = repo.laps(["wrapup", "--summary", "Implemented auth", "--followup", "Add auth tests"], env);
    expect(wrap).toMatchObject({ code: 0, stdout: "Progress recorded.\n" });
    expect(rallyCalls()).toEqual([
      ["progress", "--record-lap", id],
      ["progress", "--complete", "--summary", "Implemented auth", "--followup", "Add auth tests"],
    ]);
    expect(auditLines().map((l) => l.hook)).toEqual(["laps-done", "laps-wrapup"]);
    expect(auditLines()[1]?.args).toBe("--summary Implemented auth --followup Add auth tests");
  });

  test("handoff signals, then wrapup hands off and resets handoff_state", () => {
    repo.add("head", "Current task");
    repo.laps(["claim"], env);
    const handoff = repo.laps(["handoff"], env);
    expect(handoff.code).toBe(0);
    expect(handoff.stdout).toStartWith("Handoff signaled.");
    expect(handoff.stdout).toContain('git commit -m "<lap-description>: in progress (handoff)"');
    expect(handoff.stdout).toContain('laps wrapup --summary "<why blocked>" --followup "<unblocker task>"');
    expect(handoff.stdout).toContain("head of the queue");
    writeRunState(1); // what `rally progress --set-handoff` would have written
    const wrap = repo.laps(["wrapup", "--summary", "Blocked on auth", "--followup", "it's a 'quoted' $VAR"], env);
    expect(wrap).toMatchObject({ code: 0, stdout: "Progress recorded.\n" });
    expect(rallyCalls()).toEqual([
      ["progress", "--set-handoff"],
      ["progress", "--handoff", "--summary", "Blocked on auth", "--followup", "it's a 'quoted' $VAR"],
    ]);
    expect(readFileSync(statePath(), "utf8")).toContain('"handoff_state": 0');
    expect(repo.queue().tasks[0]?.isDone).toBe(false);
  });

  test("a failing rally progress is visible: no 'Progress recorded.', laps wrapup fails, audit has the error", () => {
    const r = repo.laps(["wrapup", "--summary", "s"], { ...env, RALLY_STUB_EXIT: "1", RALLY_STUB_STDERR: "error: boom" });
    expect(r.stdout).toBe("");
    expect(r.code).not.toBe(0); // rally 0.10 exited 0 here and the agent never learned the run was unfinalized
    expect(r.stderr).toContain("error: boom");
    expect(r.stderr).toContain("warning: rally progress --complete failed (exit 1)");
    expect(auditLines().at(-1)).toMatchObject({ hook: "laps-wrapup", error: "rally progress --complete exited 1" });
  });
});

describe("scripts run directly", () => {
  test("done hook passes an awkward id through exactly; audit line is valid JSON", () => {
    const id = `lap-"quotes'$dollars`;
    const r = runScript("laps-done-hook.sh", [id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("Marked done.");
    expect(rallyCalls()).toEqual([["progress", "--record-lap", id]]);
    const audit = auditLines();
    expect(audit[0]).toMatchObject({ hook: "laps-done", lap_id: id });
    expect(String(audit[0]?.ts)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(typeof audit[0]?.pid).toBe("number");
  });

  test("done hook survives a rally failure but reports it on stderr and in the audit log", () => {
    const r = runScript("laps-done-hook.sh", ["x-1"], { RALLY_STUB_EXIT: "3", RALLY_STUB_STDERR: "error: no store" });
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("Marked done.");
    expect(r.stderr).toContain("warning: rally progress --record-lap x-1 failed (exit 3): error: no store");
    expect(auditLines().at(-1)).toMatchObject({ hook: "laps-done", error: "rally progress --record-lap x-1 exited 3" });
  });

  test("wrapup after a failed handoff finalization keeps handoff_state 1 for the retry", () => {
    writeRunState(1);
    const r = runScript("laps-wrapup-hook.sh", ["--summary", "blocked"], { RALLY_STUB_EXIT: "2" });
    expect(r.code).toBe(2);
    expect(readFileSync(statePath(), "utf8")).toMatch(/"handoff_state":\s*1/);
  });

  test("wrapup: handoff_state 1 → --handoff and reset; 0 or no file → --complete", () => {
    writeRunState(1);
    expect(runScript("laps-wrapup-hook.sh", ["--summary", "blocked"]).stdout).toBe("Progress recorded.\n");
    expect(readFileSync(statePath(), "utf8")).toContain('"handoff_state": 0');
    writeRunState(0);
    runScript("laps-wrapup-hook.sh", ["--summary", "ok"]);
    runScript("laps-wrapup-hook.sh", ["--summary", "again"]);
    expect(rallyCalls()).toEqual([
      ["progress", "--handoff", "--summary", "blocked"],
      ["progress", "--complete", "--summary", "ok"],
      ["progress", "--complete", "--summary", "again"],
    ]);
  });

  test("RALLY_BIN overrides `rally` from PATH", () => {
    const otherLog = join(repo.root, "..", "other.jsonl");
    const other = writeStubRally(join(repo.root, "..", "other-bin"), otherLog);
    runScript("laps-handoff-hook.sh", [], { RALLY_BIN: other });
    expect(readJsonLines(otherLog)).toEqual([["progress", "--set-handoff"]]);
    expect(rallyCalls()).toEqual([]);
  });
});
