// Spec 09 §9 cases 1–19 against the test laps CLI run as a real process in temp git repos.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git, runLaps, tempRepo, type TempRepo } from "./testkit.ts";

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const CLAIM_HINT = "\n\n-----\nNot the lap you intended to claim? Undo with 'laps claim undo'\n";
const DONE_HINT = "\n\n-----\nNot the lap you intended to mark done? Undo with 'laps done undo'\n";
const claimFile = () => join(repo.root, ".laps", "claim");
const lapsJson = () => join(repo.root, ".laps", "laps.json");

describe("store and format", () => {
  test("1. init creates the v2 file, gitignores the claim, commits; rerun is a no-op", () => {
    repo = tempRepo("proj", { init: false });
    const first = repo.laps(["init"]);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toBe("Created .laps/laps.json\nAdded .laps/claim to .gitignore\nCommitted initialization\n");
    expect(readFileSync(lapsJson(), "utf8")).toBe('{\n  "version": 2,\n  "tasks": []\n}\n');
    expect(readFileSync(join(repo.root, ".gitignore"), "utf8")).toBe(".laps/claim\n");
    expect(git(repo.root, ["log", "--format=%s"]).trim()).toBe("chore: laps init");
    expect(repo.laps(["init"])).toMatchObject({ code: 0, stdout: "Already initialized\n" });
  });

  test("1b. init without a git identity still exits 0 with a note", () => {
    repo = tempRepo("proj", { init: false, identity: false });
    const r = repo.laps(["init"], { GIT_CONFIG_GLOBAL: "/dev/null", HOME: repo.root, GIT_AUTHOR_NAME: "", EMAIL: "" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created .laps/laps.json");
    expect(r.stderr).toMatch(/^laps: note: auto-commit \(git commit\) failed: /);
  });

  test("2. no .git or .laps in any ancestor → exit 2; a subdirectory uses the root store", () => {
    const bare = mkdtempSync(join(tmpdir(), "laps-nogit-"));
    try {
      const r = runLaps(bare, ["list"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("laps: store error: no .git or .laps directory found in any ancestor\n");
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
    repo = tempRepo();
    const id = repo.add("tail", "Root lap");
    mkdirSync(join(repo.root, "a", "b"), { recursive: true });
    const sub = runLaps(join(repo.root, "a", "b"), ["list"]);
    expect(sub.stdout).toBe(`1. ${id} — Root lap\n`);
    expect(existsSync(join(repo.root, "a", ".laps"))).toBe(false);
  });

  test("3. unknown lap key or version 3 → exit 2, file untouched", () => {
    repo = tempRepo();
    const withKind = '{"version": 2, "tasks": [{"id":"x-1","title":"t","description":"","isDone":false,"order":1,"kind":"lap"}]}';
    writeFileSync(lapsJson(), withKind);
    const r = repo.laps(["list"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a valid laps task file: json: unknown field "kind"');
    expect(readFileSync(lapsJson(), "utf8")).toBe(withKind);
    writeFileSync(lapsJson(), '{"version": 3, "tasks": []}');
    const v3 = repo.laps(["get", "head"]);
    expect(v3.code).toBe(2);
    expect(v3.stderr).toContain("written by a newer version of laps (schema version 3); please update laps");
    expect(readFileSync(lapsJson(), "utf8")).toBe('{"version": 3, "tasks": []}');
  });

  test("4. a version-1 file is migrated in place", () => {
    repo = tempRepo();
    const lap = (id: string) => ({ id, title: id, description: "", isDone: false, createdAt: "", updatedAt: "", completedAt: null });
    writeFileSync(lapsJson(), JSON.stringify({ version: 1, tasks: [lap("b-1"), lap("a-2"), lap("c-3")] }));
    expect(repo.laps(["list"]).stdout).toBe("1. b-1 — b-1\n2. a-2 — a-2\n3. c-3 — c-3\n");
    const q = repo.queue();
    expect(q.version).toBe(2);
    expect(q.tasks.map((t) => t.order)).toEqual([65536, 131072, 196608]);
  });

  test("5. add writes keys in order, omits empty assignee, null completedAt, prefixed id", () => {
    repo = tempRepo("rally-checkout");
    const r = repo.laps(["add", "tail", "--title", "A <b> & c", "--description", "line1\\nline2", "--assignee", "  "]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^rall-[0-9a-f]{4,}\n$/);
    const raw = readFileSync(lapsJson(), "utf8");
    expect(raw).toContain("A \\u003cb\\u003e \\u0026 c");
    const task = repo.queue().tasks[0]!;
    expect(Object.keys(task)).toEqual(["id", "title", "description", "isDone", "order", "createdAt", "updatedAt", "completedAt"]);
    expect(task).toMatchObject({ id: r.stdout.trim(), description: "line1\nline2", isDone: false, completedAt: null });
    const withA = repo.add("tail", "B", ["--assignee", " SENIOR "]);
    expect(repo.queue().tasks.find((t) => t.id === withA)?.assignee).toBe("SENIOR");
    const short = tempRepo("ab");
    try {
      expect(short.add("head", "x")).toMatch(/^abxx-[0-9a-f]{4}$/);
    } finally {
      short.cleanup();
    }
  });
});

describe("ordering", () => {
  test("6. head/tail order keys and list/get order", () => {
    repo = tempRepo();
    const a = repo.add("tail", "A");
    const b = repo.add("head", "B");
    const c = repo.add("tail", "C");
    const orders = Object.fromEntries(repo.queue().tasks.map((t) => [t.id, t.order]));
    expect([orders[a], orders[b], orders[c]]).toEqual([65536, 0, 131072]);
    expect(repo.laps(["list"]).stdout).toBe(`1. ${b} — B\n2. ${a} — A\n3. ${c} — C\n`);
    expect(repo.laps(["get", "head"]).stdout).toBe("B\n\n\n");
  });

  test("7. add after lands between; an exhausted gap renumbers", () => {
    repo = tempRepo();
    const a = repo.add("tail", "A");
    repo.add("tail", "C");
    const d = repo.add(`after ${a}`, "D");
    expect(repo.queue().tasks.find((t) => t.id === d)?.order).toBe(98304);
    const q = repo.queue();
    q.tasks.forEach((t, i) => (t.order = 5 + i));
    writeFileSync(lapsJson(), JSON.stringify(q));
    const e = repo.add(`after ${a}`, "E");
    expect(repo.queue().tasks.map((t) => [t.title, t.order])).toEqual([
      ["A", 65536], ["E", 98304], ["D", 131072], ["C", 196608],
    ]);
    expect(e).toBeTruthy();
  });

  test("8. add after a done lap → head insert with notice; unknown id → exit 3", () => {
    repo = tempRepo();
    const a = repo.add("tail", "A");
    repo.add("tail", "B");
    repo.laps(["done", a]);
    const r = repo.laps(["add", "after", a, "--title", "N"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`laps: lap ${a} already complete; added to next available spot (head).\n`);
    expect(repo.laps(["get", "head"]).stdout).toBe("N\n\n\n");
    const bad = repo.laps(["add", "after", "nope", "--title", "X"]);
    expect(bad).toMatchObject({ code: 3, stderr: "laps: add: task nope not found\n", stdout: "" });
    expect(repo.laps(["add", "--title", "X"]).code).toBe(1);
    expect(repo.laps(["add", "after"]).stderr).toBe("laps: add: after requires a task id\n");
    expect(repo.laps(["add", "head", "--title", " "]).stderr).toBe("laps: add: title is required\n");
  });

  test("9. canonical order on save; list --done is newest first", async () => {
    repo = tempRepo();
    const a = repo.add("tail", "A");
    const b = repo.add("tail", "B");
    repo.add("tail", "C");
    repo.laps(["done", b]);
    await Bun.sleep(5);
    repo.laps(["done", a]);
    expect(repo.queue().tasks.map((t) => t.title)).toEqual(["B", "A", "C"]);
    expect(repo.laps(["list", "--done"]).stdout).toBe(`1. ~~${a} — A~~\n2. ~~${b} — B~~\n`);
    expect(repo.laps(["list", "--all"]).stdout).toMatch(/^1\. \S+ — C\n2\. ~~.* — B~~\n3\. ~~.* — A~~\n$/);
  });
});

describe("get / claim / list", () => {
  test("10. get head formats", () => {
    repo = tempRepo();
    expect(repo.laps(["get", "head"])).toMatchObject({ code: 3, stdout: "", stderr: "laps: no head task\n" });
    const id = repo.add("tail", "T", ["--description", "D", "--assignee", "alice"]);
    expect(repo.laps(["get", "head"]).stdout).toBe("T\nAssignee: alice\n\nD\n");
    expect(repo.laps(["get", id]).stdout).toBe("T\nAssignee: alice\n\nD\n");
    expect(repo.laps(["get", "nope"])).toMatchObject({ code: 3, stderr: "laps: task not found\n" });
    const other = tempRepo();
    try {
      other.add("tail", "T", ["--description", "D"]);
      expect(other.laps(["get"]).stdout).toBe("T\n\nD\n");
    } finally {
      other.cleanup();
    }
  });

  test("11. claim prints detail + hint, writes the bare id, leaves laps.json alone", () => {
    repo = tempRepo();
    const id = repo.add("tail", "Implement auth", ["--description", "Add login endpoint", "--assignee", "alice"]);
    const before = readFileSync(lapsJson(), "utf8");
    const r = repo.laps(["claim"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe(`Implement auth\nAssignee: alice\n\nAdd login endpoint${CLAIM_HINT}`);
    expect(readFileSync(claimFile(), "utf8")).toBe(`${id}\n`);
    expect(readFileSync(lapsJson(), "utf8")).toBe(before);
  });

  test("12. claim on an empty or all-done queue → exit 3, no claim file", () => {
    repo = tempRepo();
    expect(repo.laps(["claim"])).toMatchObject({ code: 3, stderr: "laps: no head task\n" });
    const id = repo.add("tail", "A");
    repo.laps(["done", id]);
    expect(repo.laps(["claim"]).code).toBe(3);
    expect(existsSync(claimFile())).toBe(false);
  });

  test("13. claim twice, claim undo, undo again", () => {
    repo = tempRepo();
    const id = repo.add("tail", "A");
    repo.laps(["claim"]);
    expect(repo.laps(["claim"]).code).toBe(0);
    expect(readFileSync(claimFile(), "utf8")).toBe(`${id}\n`);
    expect(repo.laps(["claim", "undo"])).toMatchObject({ code: 0, stdout: `Claim cleared for ${id}: A\n` });
    expect(existsSync(claimFile())).toBe(false);
    expect(repo.laps(["claim", "undo"])).toMatchObject({ code: 3, stderr: "laps: no claimed lap to clear\n" });
  });

  test("14. list line shape and count", () => {
    repo = tempRepo();
    expect(repo.laps(["list"])).toMatchObject({ code: 0, stdout: "", stderr: "" });
    const a = repo.add("tail", "A", ["--assignee", "X"]);
    repo.add("tail", "B");
    const out = repo.laps(["list"]).stdout;
    expect(out.split("\n")[0]).toBe(`1. ${a} — A (assignee: X)`);
    expect(out.split("\n").filter((l) => l.trim()).length).toBe(2);
  });
});

describe("done and claim semantics", () => {
  test("15. bare done completes the claimed lap, not the new head", () => {
    repo = tempRepo();
    const a = repo.add("tail", "Lap A");
    repo.laps(["claim"]);
    const b = repo.add("head", "Lap B");
    const r = repo.laps(["done"]);
    expect(r).toMatchObject({ code: 0, stdout: `Lap A${DONE_HINT}`, stderr: "" });
    const tasks = repo.queue().tasks;
    expect(tasks.find((t) => t.id === a)?.isDone).toBe(true);
    expect(tasks.find((t) => t.id === b)?.isDone).toBe(false);
    expect(repo.laps(["get", "head"]).stdout.startsWith("Lap B\n")).toBe(true);
    expect(existsSync(claimFile())).toBe(false);
  });

  test("16. bare done without a claim → exit 3 with the head hint, no hooks", () => {
    repo = tempRepo();
    repo.writeHooks([{ title: "h", command: "done", when: "after", run: "echo fired", passback: true }]);
    const r = repo.laps(["done"]);
    expect(r).toMatchObject({ code: 3, stdout: "", stderr: "laps: no claimed lap and no head task\n" });
    const id = repo.add("tail", "A");
    expect(repo.laps(["done"]).stderr).toBe(`laps: no claimed lap. head task is ${id}: A. use 'laps claim' or 'laps done <id>'\n`);
  });

  test("17. claim consumed by done <id>; claimed lap removed by hand", () => {
    repo = tempRepo();
    const a = repo.add("tail", "A");
    repo.laps(["claim"]);
    expect(repo.laps(["done", a]).code).toBe(0);
    expect(repo.laps(["done"]).code).toBe(3);
    expect(repo.laps(["done", a])).toMatchObject({ code: 3, stderr: `laps: task ${a} (A) is already done\n` });
    const b = repo.add("tail", "B");
    repo.laps(["claim"]);
    const q = repo.queue();
    q.tasks = q.tasks.filter((t) => t.id !== b);
    writeFileSync(lapsJson(), JSON.stringify(q));
    expect(repo.laps(["done"])).toMatchObject({ code: 3, stderr: `laps: claimed lap ${b} not found\n` });
  });

  test("18. done <other id> leaves the claim", () => {
    repo = tempRepo();
    const a = repo.add("tail", "A");
    const b = repo.add("tail", "B");
    repo.laps(["claim"]);
    expect(repo.laps(["done", b]).stdout.startsWith("B\n")).toBe(true);
    expect(readFileSync(claimFile(), "utf8")).toBe(`${a}\n`);
  });

  test("19. done undo window", () => {
    repo = tempRepo();
    expect(repo.laps(["done", "undo"])).toMatchObject({ code: 3, stderr: "laps: no completed task to undo\n" });
    const a = repo.add("tail", "A");
    repo.laps(["claim"]);
    repo.laps(["done"]);
    expect(repo.laps(["done", "undo"])).toMatchObject({ code: 0, stdout: `Done state cleared for A (${a})\n` });
    expect(repo.queue().tasks[0]).toMatchObject({ isDone: false, completedAt: null, order: 65536 });
    expect(existsSync(claimFile())).toBe(false);
    repo.laps(["done", a]);
    const q = repo.queue();
    q.tasks[0]!.completedAt = new Date(Date.now() - 10 * 60_000).toISOString();
    writeFileSync(lapsJson(), JSON.stringify(q));
    const old = repo.laps(["done", "undo"]);
    expect(old.code).toBe(3);
    expect(old.stderr).toMatch(new RegExp(`^laps: last completed task ${a} \\(A\\) was completed 10m\\d+s ago; use 'laps done undo -y' to force\\n$`));
    expect(repo.laps(["done", "undo", "-y"]).code).toBe(0);
  });
});
