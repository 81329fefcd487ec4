import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { MAIN, rally, ROOT, sandbox } from "../support/rally.ts";

const VERSION = readFileSync(join(ROOT, "VERSION"), "utf8").trim();

describe("rally CLI surface", () => {
  test.each([["version"], ["--version"], ["-v"]])("%s prints the dev version from VERSION", async (flag) => {
    await using s = sandbox();
    const r = await rally([flag], { cwd: s.repo, env: s.env });
    expect(r).toMatchObject({ code: 0, stdout: `rally v${VERSION}-dev\n`, stderr: "" });
  });

  test("bare rally and --help list only the commands that exist", async () => {
    await using s = sandbox();
    for (const args of [[], ["--help"], ["help"]]) {
      const r = await rally(args, { cwd: s.repo, env: s.env });
      expect(r.code).toBe(0);
      for (const cmd of ["config", "init", "instructions", "routes", "version"]) expect(r.stdout).toContain(`  ${cmd}`);
    }
  });

  test("a subcommand's --help shows its usage and exits 0", async () => {
    await using s = sandbox();
    const r = await rally(["config", "--help"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--repo");
  });

  test("help piped to a file or another program has no escape codes and no trailing blanks", async () => {
    await using s = sandbox();
    // A colour terminal type, and no NO_COLOR: only the pipe says "no colour".
    const env: Record<string, string> = { ...s.env, TERM: "xterm-256color" };
    delete env.NO_COLOR;
    for (const args of [["relay", "--help"], ["routes"], ["progress", "--help"]]) {
      const r = await rally(args, { cwd: s.repo, env });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("USAGE");
      expect(r.stdout).not.toContain("\x1b");
      expect(r.stdout).not.toMatch(/[ \t]$/m);
    }
  });

  test("rally config with stdin not a terminal refuses before starting the editor", async () => {
    await using s = sandbox();
    await rally(["init"], { cwd: s.repo, env: s.env });
    const ran = join(s.dir, "editor-ran");
    const editor = join(s.dir, "editor.sh");
    writeFileSync(editor, `#!/bin/sh\ntouch ${JSON.stringify(ran)}\n`, { mode: 0o755 });
    for (const [args, path] of [[["config"], join(s.home, ".config/rally/config.toml")], [["config", "--repo"], join(s.repo, ".rally/config.toml")]] as const) {
      const proc = Bun.spawn([process.execPath, MAIN, ...args], {
        cwd: s.repo, env: { ...s.env, EDITOR: editor }, stdin: Bun.file("/dev/null"), stdout: "pipe", stderr: "pipe",
      });
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: "", stderr: `error: rally config requires a terminal to run your editor (edit ${path} directly)\n` });
    }
    expect(existsSync(ran)).toBe(false);
  });

  test("a group without an action prints its help", async () => {
    await using s = sandbox();
    const r = await rally(["routes"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("check");
  });

  test("unknown command: one error line with a did-you-mean, exit 1", async () => {
    await using s = sandbox();
    const r = await rally(["initt"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`error: unknown command "initt" for "rally" (did you mean "init"?)\n`);
  });

  test("unknown subcommand of a group", async () => {
    await using s = sandbox();
    const r = await rally(["routes", "chek"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`unknown command "chek" for "rally routes" (did you mean "check"?)`);
  });

  test("unknown flag is rejected, not ignored", async () => {
    await using s = sandbox();
    const r = await rally(["init", "--force"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: unknown flag: --force (run `rally init --help` for usage)\n");
    expect(r.stdout).toBe("");
  });

  test("user errors never print a stack trace; --debug does", async () => {
    await using s = sandbox();
    await Bun.write(join(s.repo, ".rally", "config.toml"), "a = [\n");
    const plain = await rally(["routes", "check"], { cwd: s.repo, env: s.env });
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim().split("\n")).toHaveLength(1);
    expect(plain.stderr).not.toContain("    at ");
    const debug = await rally(["routes", "check", "--debug"], { cwd: s.repo, env: s.env });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain("    at ");
  });
});
