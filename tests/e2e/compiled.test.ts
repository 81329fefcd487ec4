import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { compileBinary } from "../../scripts/compile.ts";
import { MAIN, rally, ROOT, sandbox } from "../support/rally.ts";

const VERSION = readFileSync(join(ROOT, "VERSION"), "utf8").trim();
const out = mkdtempSync(join(tmpdir(), "rally-compiled-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("compiled binaries", () => {
  test("a release build reports v<VERSION>; a dev build v<VERSION>-dev", async () => {
    const [releaseBin, devBin] = await Promise.all([
      compileBinary(MAIN, join(out, "rally-release"), { release: true }),
      compileBinary(MAIN, join(out, "rally-dev")),
    ]);
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
});
