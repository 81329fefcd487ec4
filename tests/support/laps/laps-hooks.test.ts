// Spec 09 §9 cases 20–24 (hooks), on/off, version and the fake-only knobs (0.9 mode, FAIL, LOG).
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hook, runLaps, tempRepo, type TempRepo } from "./testkit.ts";

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const DONE_HINT = "\n\n-----\nNot the lap you intended to mark done? Undo with 'laps done undo'\n";

describe("hooks", () => {
  test("20. after-hook variables and passback on done", () => {
    repo = tempRepo();
    const id = repo.add("tail", "My lap");
    repo.writeHooks([hook("done", "after", 'echo "$id|$title|$command|$exit_code|$output"')]);
    repo.laps(["claim"]);
    expect(repo.laps(["done"]).stdout).toBe(`My lap${DONE_HINT}${id}|My lap|done|0|${id}\n`);
    const b = repo.add("tail", "Other");
    repo.writeHooks([hook("done", "after", 'echo "$id"', false)]);
    expect(repo.laps(["done", b]).stdout).toBe(`Other${DONE_HINT}`);
  });

  test("21. hook-only words: $args quoting, $1, undeclared word", () => {
    repo = tempRepo();
    repo.writeHooks([
      hook("foo", "before", "printf '%s\\n' $args"),
      hook("foo", "after", "echo first=$1 braced=${1} id=[$id]"),
    ]);
    const r = repo.laps(["foo", "a", "b c", "it's"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe("a\nb c\nit's\nfirst=a braced=a id=[]\n");
    expect(repo.laps(["bar"])).toMatchObject({ code: 0, stdout: "", stderr: "" });
    const flags = repo.laps(["foo", "--summary", "Blocked on auth", "--followup", "x"]);
    expect(flags.stdout.split("\n").slice(0, 4)).toEqual(["--summary", "Blocked on auth", "--followup", "x"]);
    expect(repo.laps(["-f", "other", "foo", "z"]).stdout.startsWith("z\n")).toBe(true);
  });

  test("22. failing before hook on done → exit 4, lap kept, after hooks run with exit_code 0", () => {
    repo = tempRepo();
    const id = repo.add("tail", "A");
    repo.writeHooks([
      hook("done", "before", "exit 7", true, "blocker"),
      hook("done", "after", 'echo "after $id $exit_code"'),
    ]);
    repo.laps(["claim"]);
    const r = repo.laps(["done"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('laps: hook: hook "blocker" failed: exit status 7\n');
    expect(r.stdout).toBe(`after ${id} 0\n`);
    expect(repo.queue().tasks[0]?.isDone).toBe(false);
    repo.writeHooks([
      hook("done", "after", "echo one"),
      hook("done", "after", "echo two; exit 3", true, "bad"),
      hook("done", "after", "echo three"),
    ]);
    const after = repo.laps(["done"]);
    expect(after.code).toBe(0);
    expect(after.stdout).toBe(`A${DONE_HINT}one\n`);
    expect(after.stderr).toBe('laps: after hook: hook "bad" failed: exit status 3\n');
  });

  test("22b. after hooks fire on a failed claim; before passback is discarded on built-ins", () => {
    repo = tempRepo();
    repo.writeHooks([hook("claim", "before", "echo hidden"), hook("claim", "after", 'echo "code=$exit_code"')]);
    expect(repo.laps(["claim"])).toMatchObject({ code: 3, stdout: "code=3\n" });
  });

  test("22c. failing before hook on a hook-only word → exit 4, its output dropped, after hooks skipped", () => {
    repo = tempRepo();
    repo.writeHooks([hook("wrapup", "before", "echo partial; exit 1", true, "w"), hook("wrapup", "after", "echo after")]);
    const r = repo.laps(["wrapup", "--summary", "s"]);
    expect(r).toMatchObject({ code: 4, stdout: "", stderr: 'laps: hook: hook "w" failed: exit status 1\n' });
  });

  test("23. hooks run at the repo root; $file absolute; $HOME left to the shell", () => {
    repo = tempRepo();
    repo.writeHooks([hook("list", "after", 'echo "$(pwd)|$file|$HOME"')]);
    mkdirSync(join(repo.root, "sub"));
    const r = runLaps(join(repo.root, "sub"), ["list"], { HOME: "/home/tester" });
    expect(r.stdout).toBe(`${repo.root}|${join(repo.root, ".laps", "laps.json")}|/home/tester\n`);
  });

  test("24. malformed hooks.json → exit 2 for built-ins and hook-only words", () => {
    repo = tempRepo();
    writeFileSync(join(repo.root, ".laps", "hooks.json"), "{ not json");
    const list = repo.laps(["list"]);
    expect(list.code).toBe(2);
    expect(list.stderr).toStartWith("laps: hooks: parse hooks file: ");
    const word = repo.laps(["handoff"]);
    expect(word.code).toBe(2);
    expect(word.stderr).toStartWith("laps: parse hooks file: ");
  });

  test("re-entrant laps add from a hook-only command", () => {
    repo = tempRepo();
    repo.writeHooks([hook("wrapup", "before", 'laps add head --title "$1" --description "$2"')]);
    const r = repo.laps(["wrapup", "Follow", "up text"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^repo-[0-9a-f]{4,}\n$/);
    expect(repo.laps(["get", "head"]).stdout).toBe("Follow\n\nup text\n");
  });
});

describe("on / off / version / add input modes", () => {
  test("on writes the block in AGENTS.md (and existing CLAUDE.md), off removes it", () => {
    repo = tempRepo();
    writeFileSync(join(repo.root, "CLAUDE.md"), "# Claude\n");
    expect(repo.laps(["on"])).toMatchObject({ code: 0, stdout: "", stderr: "" });
    repo.laps(["on"]);
    const agents = readFileSync(join(repo.root, "AGENTS.md"), "utf8");
    expect(agents.match(/<laps-instructions>/g)?.length).toBe(1);
    expect(readFileSync(join(repo.root, "CLAUDE.md"), "utf8")).toStartWith("# Claude\n\n<laps-instructions>");
    repo.laps(["off"]);
    expect(readFileSync(join(repo.root, "CLAUDE.md"), "utf8")).toBe("# Claude\n\n");
  });

  test("version forms and LAPS_FAKE_VERSION", () => {
    repo = tempRepo();
    for (const form of [["version"], ["--version"], ["-v"]]) expect(repo.laps(form).stdout).toBe("0.8.1\n");
    expect(repo.laps(["version"], { LAPS_FAKE_VERSION: "laps 0.8.0" }).stdout).toBe("laps 0.8.0\n");
  });

  test("add --json, --stdin, exclusivity and --help", () => {
    repo = tempRepo();
    repo.laps(["add", "tail", "--json", '{"title":"J","description":"jd","assignee":"bob"}']);
    expect(repo.laps(["get", "head"]).stdout).toBe("J\nAssignee: bob\n\njd\n");
    repo.laps(["add", "head", "--title", "S", "--stdin"], {}, "from stdin\n\n");
    expect(repo.laps(["get", "head"]).stdout).toBe("S\n\nfrom stdin\n");
    expect(repo.laps(["add", "head", "--json", "{}", "--title", "x"]).code).toBe(1);
    expect(repo.laps(["add", "head", "--bogus"])).toMatchObject({ code: 1, stderr: "laps: unknown flag: --bogus\n" });
    const help = repo.laps(["add", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("after <id>");
  });
});

test("seed 2e setup: init, on, add head/tail, claim+done until the queue is empty", () => {
  repo = tempRepo("rally-test-laps", { init: false });
  expect(repo.laps(["init"]).code).toBe(0);
  expect(repo.laps(["on"]).code).toBe(0);
  repo.laps(["add", "head", "--title", "Task 1", "--description", "Create file task1.txt with content 'done'"]);
  repo.laps(["add", "tail", "--title", "Task 2", "--description", "Create file task2.txt with content 'done'"]);
  expect(repo.laps(["list"]).stdout.split("\n").filter(Boolean).length).toBe(2);
  for (const title of ["Task 1", "Task 2"]) {
    expect(repo.laps(["claim"]).stdout).toStartWith(`${title}\n\nCreate file`);
    expect(repo.laps(["done"]).stdout).toStartWith(`${title}\n`);
  }
  expect(repo.laps(["list"]).stdout).toBe("");
  expect(repo.laps(["claim"]).code).toBe(3);
});

describe("fake-only knobs", () => {
  test("LAPS_FAKE_MODE=0.9: JSON claim, two-line list, exit 11/12", () => {
    repo = tempRepo();
    const env = { LAPS_FAKE_MODE: "0.9" };
    expect(repo.laps(["claim"], env).code).toBe(11);
    const id = repo.add("tail", "A", ["--assignee", "bob"]);
    repo.add("tail", "B");
    expect(repo.laps(["claim"], env).code).toBe(0);
    const claim = JSON.parse(readFileSync(join(repo.root, ".laps", "claim"), "utf8"));
    expect(claim).toMatchObject({ lap: id, file: "laps.json" });
    const list = repo.laps(["list"], env).stdout.split("\n").filter(Boolean);
    expect(list).toEqual(["1. > A", `   ${id} · bob · todo`, "2. B", expect.stringMatching(/ · — · todo$/)]);
    expect(repo.laps(["list", "--oneline"], env).stdout.split("\n").filter(Boolean).length).toBe(2);
    expect(repo.laps(["done"], env).code).toBe(0);
    repo.laps(["done", readHeadId()], env);
    expect(repo.laps(["claim"], env).code).toBe(12);
  });

  test("LAPS_FAKE_FAIL and LAPS_FAKE_LOG", () => {
    repo = tempRepo();
    const log = join(repo.root, "calls.jsonl");
    expect(repo.laps(["claim"], { LAPS_FAKE_FAIL: "claim:5" }).code).toBe(5);
    expect(repo.laps(["list"], { LAPS_FAKE_FAIL: "claim" }).code).toBe(0);
    expect(repo.laps(["list"], { LAPS_FAKE_FAIL: "list" }).code).toBe(1);
    repo.laps(["add", "head", "--title", "x y"], { LAPS_FAKE_LOG: log });
    expect(readFileSync(log, "utf8")).toBe('["add","head","--title","x y"]\n');
  });
});

function readHeadId(): string {
  return (repo.queue().tasks.find((t) => !t.isDone)?.id as string) ?? "";
}
