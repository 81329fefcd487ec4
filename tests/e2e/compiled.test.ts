import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { compileBinary } from "../../scripts/compile.ts";
import { gitSync, MAIN, rally, ROOT, sandbox } from "../support/rally.ts";

const VERSION = readFileSync(join(ROOT, "VERSION"), "utf8").trim();
const out = mkdtempSync(join(tmpdir(), "rally-compiled-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// Both builds are shared by the tests below; the release one is what users download.
let builds: Promise<[string, string]> | undefined;
const compiled = () =>
  (builds ??= Promise.all([compileBinary(MAIN, join(out, "rally-release"), { release: true }), compileBinary(MAIN, join(out, "rally-dev"))]));

describe("compiled binaries", () => {
  test("a release build reports v<VERSION>; a dev build v<VERSION>-dev", async () => {
    const [releaseBin, devBin] = await compiled();
    await using s = sandbox();
    for (const flag of ["version", "--version", "-v"]) {
      expect((await rally([flag], { cwd: s.repo, env: s.env, bin: [releaseBin] })).stdout).toBe(`rally v${VERSION}\n`);
    }
    expect((await rally(["version"], { cwd: s.repo, env: s.env, bin: [devBin] })).stdout).toBe(`rally v${VERSION}-dev\n`);
    // The compiled binary runs real commands, not only the version fast path.
    const init = await rally(["init"], { cwd: s.repo, env: s.env, bin: [releaseBin] });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("Rally workspace initialized.");
    const check = await rally(["routes", "check"], { cwd: s.repo, env: s.env, bin: [releaseBin] });
    expect(check).toMatchObject({ code: 0 });
    expect(check.stdout).toContain("routes check summary:");
  }, 120_000);

  // The compiled binary leaves c12's unused dependencies out (scripts/unused-deps.ts): config
  // must read exactly as from source.
  test("the release binary reads user and repo config layers, and names a TOML error's line", async () => {
    const [releaseBin] = await compiled();
    await using s = sandbox();
    const bin = [releaseBin];
    expect(await rally(["init"], { cwd: s.repo, env: s.env, bin })).toMatchObject({ code: 0 });
    mkdirSync(join(s.home, ".config/rally"), { recursive: true });
    writeFileSync(join(s.home, ".config/rally/config.toml"), 'schema_version = 2\n[harness.mine]\ncommand = ["echo", "$PROMPT"]\n[routes]\nreview = ["mine:2"]\n');
    writeFileSync(join(s.repo, ".rally/config.toml"), 'schema_version = 2\n[routes]\ndefault = ["mine"]\n');
    for (const b of [bin, undefined]) {
      const check = await rally(["routes", "check"], { cwd: s.repo, env: s.env, bin: b });
      expect(check).toMatchObject({ code: 0, stderr: "" });
      expect(check.stdout).toContain("- default: 1 entry");
      expect(check.stdout).toContain("- review: 1 entry");
    }
    writeFileSync(join(s.repo, ".rally/config.toml"), 'schema_version = 2\n[routes\ndefault = ["mine"]\n');
    const [compiledErr, sourceErr] = await Promise.all([bin, undefined].map((b) => rally(["routes", "check"], { cwd: s.repo, env: s.env, bin: b })));
    expect(compiledErr!.code).toBe(1);
    expect(compiledErr!.stderr).toMatch(/^error: \.rally\/config\.toml:2:\d+: invalid TOML: /);
    expect(compiledErr).toEqual(sourceErr!);
  }, 120_000);

  test("smoke: the release binary runs the README's no-account relay (demo agent) end to end", async () => {
    const [releaseBin] = await compiled();
    await using s = sandbox();
    const bin = [releaseBin];
    expect(await rally(["init"], { cwd: s.repo, env: s.env, bin })).toMatchObject({ code: 0 });
    const before = Number(gitSync(s.repo, s.env, ["rev-list", "--count", "HEAD"]));
    const r = await rally(["relay", "--new", "-i", "1", "--agent", "demo", "Create a file called hello.txt"], { cwd: s.repo, env: s.env, bin, timeoutMs: 60_000 });
    expect(r.stderr).not.toContain("error:");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Relay complete");
    expect(existsSync(join(s.repo, "hello.txt"))).toBe(true);
    expect(Number(gitSync(s.repo, s.env, ["rev-list", "--count", "HEAD"]))).toBeGreaterThan(before);
    expect(gitSync(s.repo, s.env, ["show", "--name-only", "--format=%s", "HEAD"])).toContain("hello.txt");
    expect(gitSync(s.repo, s.env, ["status", "--porcelain"]).trim()).toBe("");
  }, 120_000);
});
