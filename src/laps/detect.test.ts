import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LAPS_BIN_DIR } from "../../tests/support/laps/testkit.ts";
import { compareVersions, detectLaps, isLapsEnabled, lapsContextFor, parseLapsVersion } from "./detect.ts";
import { spawnLaps, type LapsDeps, type LapsExec } from "./exec.ts";

let base: string;
let ws: string;
const BUN_DIR = dirname(process.execPath);
const withLaps = `${LAPS_BIN_DIR}:${BUN_DIR}:/usr/bin:/bin`;
const withoutLaps = `${BUN_DIR}:/usr/bin:/bin`;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "laps-detect-"));
  ws = join(base, "ws");
  mkdirSync(ws);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function deps(path: string, extra: Partial<LapsDeps> = {}, env: Record<string, string> = {}): LapsDeps {
  return { exec: spawnLaps, env: { PATH: path, ...env }, ...extra };
}

function initLaps(): void {
  mkdirSync(join(ws, ".laps"), { recursive: true });
  writeFileSync(join(ws, ".laps", "laps.json"), '{"version": 2, "tasks": []}\n');
}

/** A scripted `laps` in its own dir answering `version`/`--version` as told. */
function scriptedLaps(dir: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "laps"), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
}

describe("detection matrix (spec 05 §9 case 26)", () => {
  test("laps.json + binary → laps mode", async () => {
    initLaps();
    const d = await detectLaps(ws, deps(withLaps));
    expect(d).toEqual({ mode: "laps", bin: join(LAPS_BIN_DIR, "laps"), version: "0.8.1", warnings: [] });
    expect(isLapsEnabled(ws, { PATH: withLaps })).toBe(true);
  });

  test("laps.json only → free-run with the not-installed warning", async () => {
    initLaps();
    const d = await detectLaps(ws, deps(withoutLaps));
    expect(d.mode).toBe("free-run");
    expect(d.warnings).toEqual([{
      code: "LAPS_NOT_INSTALLED",
      message: "this workspace uses .laps/ but laps is not installed; run `rally update` to install it",
    }]);
    expect(isLapsEnabled(ws, { PATH: withoutLaps })).toBe(false);
  });

  test("binary only, or a bare .laps/ → free-run, silent", async () => {
    expect(await detectLaps(ws, deps(withLaps))).toEqual({ mode: "free-run", warnings: [] });
    mkdirSync(join(ws, ".laps"));
    expect(await detectLaps(ws, deps(withLaps))).toEqual({ mode: "free-run", warnings: [] });
    expect(isLapsEnabled(ws, { PATH: withLaps })).toBe(false);
  });
});

describe("version check (spec 09 §9 case 29, spec 05 case 33)", () => {
  test("0.8.0 warns; 0.8.1 and `laps 0.9.0` do not; `dev` is silent", async () => {
    initLaps();
    const old = await detectLaps(ws, deps(withLaps, {}, { LAPS_FAKE_VERSION: "0.8.0" }));
    expect(old.mode).toBe("laps");
    expect(old.warnings).toEqual([{
      code: "LAPS_TOO_OLD",
      message: "laps v0.8.0 is older than the required v0.8.1; run `rally update` to upgrade",
    }]);
    for (const v of ["0.8.1", "laps 0.9.0", "dev", "v0.8.1-3-gabc1234"]) {
      const d = await detectLaps(ws, deps(withLaps, {}, { LAPS_FAKE_VERSION: v }));
      expect(d.warnings).toEqual([]);
    }
  });

  test("the laps beside rally wins, so a stale sibling is not masked by a newer PATH copy", async () => {
    initLaps();
    const rallyDir = scriptedLaps(join(base, "rally-bin"), 'echo "laps 0.8.0"');
    const d = await detectLaps(ws, deps(withLaps, { rallyExecPath: join(rallyDir, "rally") }, { LAPS_FAKE_VERSION: "0.9.0" }));
    expect(d.version).toBe("0.8.0");
    expect(d.warnings[0]?.message).toContain("laps v0.8.0 is older than the required v0.8.1");
    expect(d.bin).toBe(join(LAPS_BIN_DIR, "laps"));
  });

  test("falls back to --version when `version` fails; unreadable output is silent", async () => {
    initLaps();
    const dir = scriptedLaps(join(base, "b1"), '[ "$1" = "--version" ] && { echo "laps version 0.7.9"; exit 0; }; exit 1');
    const d = await detectLaps(ws, deps(`${dir}:${withoutLaps}`));
    expect(d.version).toBe("0.7.9");
    expect(d.warnings[0]?.code).toBe("LAPS_TOO_OLD");
    const none = scriptedLaps(join(base, "b2"), "exit 2");
    expect((await detectLaps(ws, deps(`${none}:${withoutLaps}`))).warnings).toEqual([]);
  });

  test("uses the injected exec with argv arrays only", async () => {
    initLaps();
    const calls: string[][] = [];
    const exec: LapsExec = async (argv) => {
      calls.push(argv);
      return { code: 0, stdout: "0.8.1\n", stderr: "" };
    };
    await detectLaps(ws, { exec, env: { PATH: withLaps } });
    expect(calls).toEqual([[join(LAPS_BIN_DIR, "laps"), "version"]]);
  });
});

test("parseLapsVersion and compareVersions", () => {
  expect(parseLapsVersion("laps 0.9.0\n")).toBe("0.9.0");
  expect(parseLapsVersion("dev")).toBeUndefined();
  expect(compareVersions("0.8.0", "0.8.1")).toBeLessThan(0);
  expect(compareVersions("v0.10.0", "0.8.1")).toBeGreaterThan(0);
  expect(compareVersions("0.8.1-rc1", "0.8.1")).toBe(0);
});

test("lapsContextFor resolves laps from PATH, else the bare name", () => {
  const d = deps(withLaps);
  expect(lapsContextFor(ws, d)).toMatchObject({ ws, bin: join(LAPS_BIN_DIR, "laps"), env: d.env });
  expect(lapsContextFor(ws, deps(withoutLaps)).bin).toBe("laps");
});
