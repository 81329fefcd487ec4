import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "pathe";
import { prepare, restorePending, settingsPath } from "./settings-swap.ts";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "rally-agy-home-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const LABEL = "Gemini 3.5 Flash (High)";
const read = () => readFileSync(settingsPath(home), "utf8");
const pending = () => `${settingsPath(home)}.rally-swap`;
function seed(text: string, mode = 0o640): void {
  mkdirSync(dirname(settingsPath(home)), { recursive: true });
  writeFileSync(settingsPath(home), text);
  chmodSync(settingsPath(home), mode);
}

describe("antigravity settings swap", () => {
  test("no file before: the label is there during the run, the file is gone after (spec A5)", async () => {
    const swap = await prepare(home, LABEL);
    expect(JSON.parse(read())).toEqual({ model: LABEL });
    expect(statSync(settingsPath(home)).mode & 0o777).toBe(0o600);
    swap.restore();
    expect(existsSync(settingsPath(home))).toBe(false);
    expect(existsSync(pending())).toBe(false);
  });

  test("existing file comes back byte for byte, with its mode", async () => {
    const original = '{"theme":"dark",  "model":"Claude Opus 4.6 (Thinking)"}';
    seed(original);
    const swap = await prepare(home, LABEL);
    expect(read()).toBe(`{\n  "model": "${LABEL}",\n  "theme": "dark"\n}\n`);
    swap.restore();
    swap.restore(); // idempotent
    expect(read()).toBe(original);
    expect(statSync(settingsPath(home)).mode & 0o777).toBe(0o640);
  });

  test("keys agy added to a file rally created survive the restore", async () => {
    const swap = await prepare(home, LABEL);
    writeFileSync(settingsPath(home), JSON.stringify({ model: LABEL, telemetry: false }));
    swap.restore();
    expect(JSON.parse(read())).toEqual({ telemetry: false });
  });

  test("same label already set, or no model: nothing is written", async () => {
    seed(`{"model":"${LABEL}"}`);
    (await prepare(home, LABEL)).restore();
    expect(read()).toBe(`{"model":"${LABEL}"}`);
    (await prepare(home, "")).restore();
    expect(existsSync(pending())).toBe(false);
  });

  test("a swap that had nothing to write still holds the label for its run", async () => {
    seed(`{"model":"${LABEL}"}`);
    const noop = await prepare(home, LABEL);
    let otherStarted = false;
    const other = prepare(home, "Other").then((s) => ((otherStarted = true), s));
    await Bun.sleep(10);
    expect(otherStarted).toBe(false);
    noop.restore();
    (await other).restore();
    expect(read()).toBe(`{"model":"${LABEL}"}`);
  });

  test("unparseable settings abort before anything is written", async () => {
    seed("{not json");
    await expect(prepare(home, LABEL)).rejects.toThrow("antigravity settings parse");
    expect(read()).toBe("{not json");
    // the lock was released: the next swap does not hang
    seed("{}");
    (await prepare(home, LABEL)).restore();
  });

  test("swaps inside one process run one after another", async () => {
    const first = await prepare(home, "A");
    let secondStarted = false;
    const second = prepare(home, "B").then((s) => ((secondStarted = true), s));
    await Bun.sleep(10);
    expect(secondStarted).toBe(false);
    expect(JSON.parse(read()).model).toBe("A");
    first.restore();
    const s2 = await second;
    expect(JSON.parse(read()).model).toBe("B");
    s2.restore();
    expect(existsSync(settingsPath(home))).toBe(false);
  });
});

describe("restorePending (rally was killed mid-run)", () => {
  const dead = { isAlive: () => false };

  test("puts the original back on the next start", async () => {
    seed('{"model":"Mine"}');
    await prepare(home, LABEL); // never restored: the process "died"
    expect(restorePending(home, dead)).toBe(true);
    expect(read()).toBe('{"model":"Mine"}');
    expect(existsSync(pending())).toBe(false);
    expect(restorePending(home, dead)).toBe(false); // nothing left to do
  });

  test("leaves a swap alone while the rally that made it is still running", async () => {
    seed('{"model":"Mine"}');
    const swap = await prepare(home, LABEL);
    const record = JSON.parse(readFileSync(pending(), "utf8"));
    writeFileSync(pending(), JSON.stringify({ ...record, pid: record.pid + 1 }));
    expect(restorePending(home, { isAlive: () => true })).toBe(false);
    expect(JSON.parse(read()).model).toBe(LABEL);
    swap.restore();
  });

  test("drops the record without writing when someone picked another model since", async () => {
    seed('{"model":"Mine"}');
    await prepare(home, LABEL);
    writeFileSync(settingsPath(home), '{"model":"Chosen later"}');
    expect(restorePending(home, dead)).toBe(false);
    expect(read()).toBe('{"model":"Chosen later"}');
    expect(existsSync(pending())).toBe(false);
  });

  test("no record, no settings dir: nothing happens", () => {
    expect(restorePending(home, dead)).toBe(false);
  });
});
