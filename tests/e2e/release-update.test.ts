import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { compileBinary } from "../../scripts/compile.ts";
import { addRelease, deadBase, hostAsset, type ReleaseServer, serveFiles, sumsOf } from "../support/release-server.ts";
import { MAIN, rally, sandbox } from "../support/rally.ts";

// `rally update` end to end: a real compiled release binary (v0.0.1) updates itself from a fake
// release server that serves a real compiled v0.0.2. Every failure leaves the old binary intact.

const build = mkdtempSync(join(tmpdir(), "rally-update-build-"));
let oldBin = "";
let newBytes = new Uint8Array();
const ASSET = hostAsset();

beforeAll(async () => {
  const [o, n] = await Promise.all([
    compileBinary(MAIN, join(build, "rally-0.0.1"), { release: true, version: "0.0.1" }),
    compileBinary(MAIN, join(build, "rally-0.0.2"), { release: true, version: "0.0.2" }),
  ]);
  oldBin = o;
  newBytes = new Uint8Array(readFileSync(n));
}, 120_000);
afterAll(() => rmSync(build, { recursive: true, force: true }));

/** A sandbox with a copy of the old release at <dir>/bin/rally. */
function installed() {
  const s = sandbox();
  const bin = join(s.dir, "bin");
  mkdirSync(bin);
  const target = join(bin, "rally");
  copyFileSync(oldBin, target);
  const run = (args: string[], server: ReleaseServer | string, extra: Record<string, string> = {}) => {
    const base = typeof server === "string" ? server : server.base;
    const env: Record<string, string> = { ...s.env, RALLY_UPDATE_BASE_URL: base };
    delete env.RALLY_NO_UPDATE_CHECK; // the sandbox turns the notice off; these tests want it
    Object.assign(env, extra);
    return rally(args, { cwd: s.repo, env, bin: [target], timeoutMs: 60_000 });
  };
  const intact = () => {
    expect(Buffer.compare(readFileSync(target), readFileSync(oldBin))).toBe(0);
    expect(readdirSync(bin)).toEqual(["rally"]);
  };
  return { s, target, run, intact };
}

function release(server: ReleaseServer, opts: { sums?: string; assets?: Record<string, Uint8Array> } = {}) {
  addRelease(server, { version: "0.0.2", assets: opts.assets ?? { [ASSET]: newBytes }, sums: opts.sums });
}

describe("rally update", () => {
  test("replaces the running binary with the newer release, then reports it is up to date", async () => {
    const { s, target, run } = installed();
    await using _ = s;
    await using server = serveFiles();
    release(server);
    const r = await run(["update"], server);
    expect(r).toMatchObject({ code: 0, stdout: "Updated rally from v0.0.1 to v0.0.2\n", stderr: "" });
    expect((await run(["version"], server)).stdout).toBe("rally v0.0.2\n");
    expect(readdirSync(join(s.dir, "bin"))).toEqual(["rally"]);
    expect(await run(["update"], server)).toMatchObject({ code: 0, stdout: "rally is already up to date (v0.0.2)\n" });
    expect(server.hits).toContain(`/releases/download/v0.0.2/${ASSET}`);
    expect(Buffer.compare(readFileSync(target), Buffer.from(newBytes))).toBe(0);
  });

  test("RALLY_UPDATE_TARGET updates another file, not the running binary", async () => {
    const { s, target, intact } = installed();
    await using _ = s;
    await using server = serveFiles();
    release(server);
    const other = join(s.dir, "other-rally");
    copyFileSync(oldBin, other);
    const env: Record<string, string> = { ...s.env, RALLY_UPDATE_BASE_URL: server.base, RALLY_UPDATE_TARGET: other };
    const r = await rally(["update"], { cwd: s.repo, env, bin: [target] });
    expect(r).toMatchObject({ code: 0, stdout: "Updated rally from v0.0.1 to v0.0.2\n" });
    expect((await rally(["version"], { cwd: s.repo, env, bin: [other] })).stdout).toBe("rally v0.0.2\n");
    intact();
  });

  test("a bad checksum is refused; the old binary is intact", async () => {
    const { s, run, intact } = installed();
    await using _ = s;
    await using server = serveFiles();
    release(server, { sums: sumsOf({ [ASSET]: "not the binary" }) });
    const r = await run(["update"], server);
    expect(r.code).toBe(1);
    expect(r.stderr).toStartWith(`error: checksum mismatch for ${ASSET} v0.0.2: SHA256SUMS says `);
    expect(r.stderr).toContain("rally was not changed");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    intact();
  });

  test("a release without this platform's binary names the asset", async () => {
    const { s, run, intact } = installed();
    await using _ = s;
    await using server = serveFiles();
    release(server, { assets: { "rally-plan9-x64": newBytes } });
    let r = await run(["update"], server);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: release v0.0.2 has no ${ASSET} binary for this platform (not listed in SHA256SUMS)`);
    server.routes.set("/releases/download/v0.0.2/SHA256SUMS", sumsOf({ [ASSET]: newBytes }));
    r = await run(["update"], server);
    expect(r.stderr).toContain(`error: release v0.0.2 has no ${ASSET} binary for this platform (HTTP 404)`);
    intact();
  });

  test("network errors, missing releases and server errors are one-line errors; the old binary is intact", async () => {
    const { s, run, intact } = installed();
    await using _ = s;
    await using server = serveFiles();
    let r = await run(["update"], await deadBase());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: could not reach the release server at http:\/\/127\.0\.0\.1:\d+\/releases\/latest\/download\/VERSION: connection refused \(check your network connection/);
    r = await run(["update"], server);
    expect(r.stderr).toContain("error: no published rally release found (");
    server.routes.set("/releases/latest/download/VERSION", { status: 502 });
    r = await run(["update"], server);
    expect(r.stderr).toContain("error: the release server answered HTTP 502 for ");
    server.routes.set("/releases/latest/download/VERSION", "<html>hi</html>");
    r = await run(["update"], server);
    expect(r.stderr).toContain('does not hold a version (got "<html>hi</html>")');
    server.routes.set("/releases/latest/download/VERSION", "0.0.2");
    r = await run(["update"], server);
    expect(r.stderr).toContain("error: release v0.0.2 has no SHA256SUMS");
    for (const out of [r]) expect(out.stderr.trim().split("\n")).toHaveLength(1);
    intact();
  });

  test("a source (dev) build refuses to update itself and says how to update", async () => {
    await using s = sandbox();
    await using server = serveFiles();
    release(server);
    const r = await rally(["update"], { cwd: s.repo, env: { ...s.env, RALLY_UPDATE_BASE_URL: server.base } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: this rally \(v[\d.]+-dev\) is a development build and cannot update itself \(update a source checkout with `git pull && bun install`, or install a release binary/);
    expect(server.hits).toEqual([]);
  });
});

describe("background update notice", () => {
  const NOTICE = "new update available: v0.0.2 | to update run `rally update`\n";

  test("a release build prints the notice on stderr after a command when a newer release exists", async () => {
    const { s, run } = installed();
    await using _ = s;
    await using server = serveFiles();
    release(server);
    const r = await run(["init"], server);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Rally workspace initialized.");
    expect(r.stderr).toEndWith(NOTICE);
    expect(r.stdout).not.toContain("new update");
    // On the error path the notice comes before the error line.
    const bad = await run(["relay", "--resume", "--new"], server);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`${NOTICE}error: cannot use --resume and --new together (pick one)\n`);
  });

  test("no check for RALLY_NO_UPDATE_CHECK=1, version, update, or when already up to date", async () => {
    const { s, run } = installed();
    await using _ = s;
    await using server = serveFiles();
    release(server);
    expect((await run(["init"], server, { RALLY_NO_UPDATE_CHECK: "1" })).stderr).not.toContain("new update");
    for (const args of [["version"], ["--version"], ["-v"], ["version", "--help"]]) {
      expect((await run(args, server)).stderr).toBe("");
    }
    expect(server.hits).toEqual([]);
    server.routes.set("/releases/latest/download/VERSION", "0.0.1\n");
    const same = await run(["routes", "check"], server);
    expect(same.code).toBe(0);
    expect(same.stderr).not.toContain("new update");
    expect(server.hits).toEqual(["/releases/latest/download/VERSION"]);
  });

  test("a release server that never answers does not slow a command down", async () => {
    const { s, run } = installed();
    await using _ = s;
    await using server = serveFiles(new Map([["/releases/latest/download/VERSION", "hang"]]));
    const dead = await deadBase();
    const time = async (extra: Record<string, string>, base: string) => {
      const t0 = performance.now();
      const r = await run(["--help"], base, extra);
      expect(r).toMatchObject({ code: 0, stderr: "" });
      return performance.now() - t0;
    };
    const off: number[] = [];
    const hang: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < 7; i++) {
      off.push(await time({ RALLY_NO_UPDATE_CHECK: "1" }, server.base));
      hang.push(await time({}, server.base));
      refused.push(await time({}, dead));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    console.log(`--help median ms: check off ${median(off).toFixed(1)}, server hangs ${median(hang).toFixed(1)}, connection refused ${median(refused).toFixed(1)}`);
    expect(server.hits.length).toBe(7); // the check really ran each time
    // A hung server costs at most the 25 ms grace period (plus noise), never the 2 s check timeout;
    // a refused connection costs nothing.
    expect(median(hang)).toBeLessThan(median(off) + 25 + 35);
    expect(median(refused)).toBeLessThan(median(off) + 35);
    expect(Math.max(...hang)).toBeLessThan(1500);
  }, 60_000);
});
