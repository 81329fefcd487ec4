import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listHooks, readHookLogs, renderHookLogs, renderHooksList } from "./hooks-view.ts";
import { installRallyHooks } from "./install-hooks.ts";

let ws: string;
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), "laps-install-"));
  mkdirSync(join(ws, ".laps"));
  writeFileSync(join(ws, ".laps", "laps.json"), '{"version": 2, "tasks": []}\n');
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const hooksJson = () => join(ws, ".laps", "hooks.json");
const USER_HOOK = { title: "notify", description: "ping", command: "done", when: "after", run: "echo hi", passback: false };
const RALLY_ENTRIES = [
  {
    title: "rally:laps-done", description: "Records lap completion and prompts for wrapup", command: "done",
    when: "after", run: '.laps/hooks/rally/laps-done-hook.sh "$id"', passback: true,
  },
  {
    title: "rally:laps-handoff", description: "Signals handoff state and prompts for wrapup", command: "handoff",
    when: "before", run: ".laps/hooks/rally/laps-handoff-hook.sh $args", passback: true,
  },
  {
    title: "rally:laps-wrapup", description: "Completes or hands off the current run", command: "wrapup",
    when: "before", run: ".laps/hooks/rally/laps-wrapup-hook.sh $args", passback: true,
  },
];

describe("installRallyHooks (spec 05 §6.3, case 28)", () => {
  test("fresh install: user hooks first, then rally's three; scripts executable; changed", () => {
    writeFileSync(hooksJson(), JSON.stringify({
      version: 1, hooks: [USER_HOOK, { ...RALLY_ENTRIES[0], run: "old.sh" }, { ...USER_HOOK, title: "second" }],
    }));
    const r = installRallyHooks(ws);
    expect(r).toEqual({
      changed: true,
      hooksDir: join(ws, ".laps", "hooks", "rally"),
      commitPaths: [
        ".laps/hooks.json", ".laps/hooks/rally/laps-done-hook.sh",
        ".laps/hooks/rally/laps-handoff-hook.sh", ".laps/hooks/rally/laps-wrapup-hook.sh",
      ],
    });
    const text = readFileSync(hooksJson(), "utf8");
    expect(text.endsWith("}")).toBe(true);
    expect(JSON.parse(text)).toEqual({ version: 1, hooks: [USER_HOOK, { ...USER_HOOK, title: "second" }, ...RALLY_ENTRIES] });
    for (const name of ["laps-done-hook.sh", "laps-handoff-hook.sh", "laps-wrapup-hook.sh"]) {
      const mode = statSync(join(r.hooksDir, name)).mode & 0o777;
      expect(mode).toBe(0o755);
      expect(readFileSync(join(r.hooksDir, name), "utf8")).toStartWith("#!/bin/sh\n");
    }
  });

  test("no hooks.json yet → created with version 1", () => {
    expect(installRallyHooks(ws).changed).toBe(true);
    expect(JSON.parse(readFileSync(hooksJson(), "utf8"))).toEqual({ version: 1, hooks: RALLY_ENTRIES });
  });

  test("second install is a no-op; a modified script or chmod -x is restored and reported", () => {
    installRallyHooks(ws);
    const before = readFileSync(hooksJson(), "utf8");
    expect(installRallyHooks(ws).changed).toBe(false);
    expect(readFileSync(hooksJson(), "utf8")).toBe(before);
    const script = join(ws, ".laps", "hooks", "rally", "laps-done-hook.sh");
    const original = readFileSync(script, "utf8");
    writeFileSync(script, "#!/bin/sh\necho hacked\n");
    expect(installRallyHooks(ws).changed).toBe(true);
    expect(readFileSync(script, "utf8")).toBe(original);
    Bun.spawnSync(["chmod", "644", script]);
    expect(installRallyHooks(ws).changed).toBe(true);
    expect(statSync(script).mode & 0o777).toBe(0o755);
  });

  test("unparseable hooks.json → RallyError, nothing written", () => {
    writeFileSync(hooksJson(), "{ nope");
    expect(() => installRallyHooks(ws)).toThrow(/^install laps hooks: parse hooks\.json: /);
    expect(readFileSync(hooksJson(), "utf8")).toBe("{ nope");
  });
});

describe("hooks list / logs data", () => {
  test("missing file, empty list, entries with origin", () => {
    expect(renderHooksList(listHooks(ws))).toBe(
      "No .laps/hooks.json found. Run a rally command in a laps-enabled workspace to install hooks.\n",
    );
    writeFileSync(hooksJson(), '{"version":1,"hooks":[]}');
    expect(renderHooksList(listHooks(ws))).toBe("(no hooks registered)\n");
    writeFileSync(hooksJson(), JSON.stringify({ version: 1, hooks: [USER_HOOK] }));
    installRallyHooks(ws);
    const listing = listHooks(ws);
    expect(listing.kind === "ok" && listing.hooks.map((h) => `${h.title}:${h.origin}`)).toEqual([
      "notify:user", "rally:laps-done:rally", "rally:laps-handoff:rally", "rally:laps-wrapup:rally",
    ]);
    expect(renderHooksList(listing)).toStartWith("notify [user]\n  ping\n  on: after done\n  run: echo hi\nrally:laps-done [rally]\n");
  });

  test("logs: missing, last N non-blank lines, 0 = all", () => {
    expect(renderHookLogs(readHookLogs(ws, 20))).toBe("No hook audit log yet (.rally/state/hook-audit.jsonl).\n");
    mkdirSync(join(ws, ".rally", "state"), { recursive: true });
    const lines = Array.from({ length: 25 }, (_, i) => `{"n":${i}}`);
    writeFileSync(join(ws, ".rally", "state", "hook-audit.jsonl"), `${lines.join("\n")}\n\n`);
    expect(readHookLogs(ws, 20)).toEqual({ kind: "ok", lines: lines.slice(5) });
    expect(readHookLogs(ws, 0)).toEqual({ kind: "ok", lines });
    expect(renderHookLogs(readHookLogs(ws, 2))).toBe('{"n":23}\n{"n":24}\n');
  });
});
