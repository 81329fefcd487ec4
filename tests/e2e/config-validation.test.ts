import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "pathe";
import { rally, sandbox } from "../support/rally.ts";

// Seed section 2c, after a plain `rally init`, through the real CLI process.
async function routesCheck(toml: string) {
  const s = sandbox();
  await rally(["init"], { cwd: s.repo, env: s.env });
  writeFileSync(join(s.repo, ".rally", "config.toml"), toml);
  const r = await rally(["routes", "check"], { cwd: s.repo, env: s.env });
  await s[Symbol.asyncDispose]();
  return r;
}

describe("seed 2c: config validation", () => {
  test("schema version mismatch warns, exit 0", async () => {
    const r = await routesCheck('schema_version = 99\n[defaults]\nmix = "cc"\nclaude_model = "claude-haiku-*"\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("- no routes declared");
    expect(r.stdout).toContain("warning: config: schema_version is 99, expected 2 — proceed with caution");
  });

  test("invalid harness name is an error, exit 1, nothing on stdout", async () => {
    const r = await routesCheck('schema_version = 2\n[harness.123bad]\ncommand = ["echo"]\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('invalid harness name "123bad": must match ^[A-Za-z][A-Za-z0-9_-]*$');
    expect(r.stderr).toStartWith("error: .rally/config.toml: [harness.123bad]:");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("routes without a default route warn, exit 0", async () => {
    const r = await routesCheck('schema_version = 2\n[defaults]\nclaude_model = "claude-haiku-*"\n[routes]\nplanner = ["cc:2"]\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("- planner: 1 entry");
    expect(r.stdout).toContain("warning: no default route is configured; laps without a matching assignee will fail at run-time");
  });

  test("bad TOML names file and line, exit 1", async () => {
    const r = await routesCheck('schema_version = 2\n[defaults\nmix = "cc"\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: \.rally\/config\.toml:2:\d+: invalid TOML: .*\(fix the syntax at that line of .*config\.toml\)\n$/);
  });
});
