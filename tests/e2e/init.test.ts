import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseTOML } from "confbox";
import { join } from "pathe";
import { gitSync, rally, sandbox } from "../support/rally.ts";

const log = (repo: string, env: Record<string, string>) => gitSync(repo, env, ["log", "--format=%s"]).trim().split("\n");

describe("rally init", () => {
  test("scaffolds .rally, seeds the user config and commits exactly the setup files", async () => {
    await using s = sandbox();
    writeFileSync(join(s.repo, "x.go"), "package x\n");
    const r = await rally(["init"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Committed workspace setup.");
    expect(r.stdout).toContain("Rally workspace initialized.");
    expect(r.stdout).toContain("rally init roles");
    expect(r.stdout).toContain(`Created user-level config at ${join(s.home, ".config/rally/config.toml")}`);
    expect(readFileSync(join(s.repo, ".rally/.gitignore"), "utf8")).toBe("state/\n");
    expect(existsSync(join(s.repo, ".rally/state"))).toBe(true);
    expect(log(s.repo, s.env)[0]).toBe("rally: initialize workspace");
    const files = gitSync(s.repo, s.env, ["show", "--name-only", "--format=", "HEAD"]).trim().split("\n").sort();
    expect(files).toEqual([".rally/.gitignore", ".rally/README.md", ".rally/config.toml"]);
    expect(gitSync(s.repo, s.env, ["status", "--porcelain"])).toContain("?? x.go");
    // The repo template is comments only; the user config has no [routes].
    expect(parseTOML(readFileSync(join(s.repo, ".rally/config.toml"), "utf8"))).toEqual({});
    const user = parseTOML<Record<string, unknown>>(readFileSync(join(s.home, ".config/rally/config.toml"), "utf8"));
    expect(user.routes).toBeUndefined();
  });

  test("is idempotent: a re-run makes no commit and changes nothing", async () => {
    await using s = sandbox();
    await rally(["init"], { cwd: s.repo, env: s.env });
    const config = readFileSync(join(s.repo, ".rally/config.toml"));
    const before = log(s.repo, s.env);
    const r = await rally(["init"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("Committed");
    expect(r.stdout).not.toContain("Created user-level config");
    expect(log(s.repo, s.env)).toEqual(before);
    expect(readFileSync(join(s.repo, ".rally/config.toml")).equals(config)).toBe(true);
  });

  test("outside a repo: runs git init and commits with the fallback identity", async () => {
    await using s = sandbox({ git: false });
    const r = await rally(["init"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Initialized empty Git repository");
    const author = gitSync(s.repo, s.env, ["log", "-1", "--format=%an <%ae>"]).trim();
    expect(author).toBe("Rally <rally@localhost>");
  });

  test("from a subdirectory it targets the repo root", async () => {
    await using s = sandbox();
    const sub = join(s.repo, "pkg");
    Bun.spawnSync(["mkdir", "-p", sub]);
    expect((await rally(["init"], { cwd: sub, env: s.env })).code).toBe(0);
    expect(existsSync(join(s.repo, ".rally/config.toml"))).toBe(true);
    expect(existsSync(join(sub, ".rally"))).toBe(false);
  });

  test.each([
    ["a\nb", "a\nb\nstate/\n"],
    ["a\n", "a\nstate/\n"],
    ["/state\n", "/state\n"],
  ])("keeps an existing .rally/.gitignore %j and makes sure state/ is ignored", async (before, after) => {
    await using s = sandbox();
    Bun.spawnSync(["mkdir", "-p", join(s.repo, ".rally")]);
    writeFileSync(join(s.repo, ".rally/.gitignore"), before);
    await rally(["init"], { cwd: s.repo, env: s.env });
    expect(readFileSync(join(s.repo, ".rally/.gitignore"), "utf8")).toBe(after);
  });

  test("never touches an existing repo config", async () => {
    await using s = sandbox();
    Bun.spawnSync(["mkdir", "-p", join(s.repo, ".rally")]);
    writeFileSync(join(s.repo, ".rally/config.toml"), '[defaults]\nclaude_model = "mine"\n');
    await rally(["init"], { cwd: s.repo, env: s.env });
    expect(readFileSync(join(s.repo, ".rally/config.toml"), "utf8")).toBe('[defaults]\nclaude_model = "mine"\n');
  });

  test("migrates a legacy rally.toml and legacy state files", async () => {
    await using s = sandbox();
    writeFileSync(join(s.repo, "rally.toml"), "schema_version = 2\n");
    Bun.spawnSync(["mkdir", "-p", join(s.repo, ".rally/state")]);
    writeFileSync(join(s.repo, ".rally/tries.jsonl"), '{"id":1}\n');
    writeFileSync(join(s.repo, ".rally/relays.jsonl"), "old\n");
    writeFileSync(join(s.repo, ".rally/state/relays.jsonl"), "new\n");
    const r = await rally(["init"], { cwd: s.repo, env: s.env });
    expect(r.stdout).toContain("Migrated legacy rally.toml to .rally/config.toml");
    expect(readFileSync(join(s.repo, ".rally/config.toml"), "utf8")).toBe("schema_version = 2\n");
    expect(readFileSync(join(s.repo, ".rally/state/tries.jsonl"), "utf8")).toBe('{"id":1}\n');
    expect(readFileSync(join(s.repo, ".rally/state/relays.jsonl.legacy-conflict"), "utf8")).toBe("old\n");
    expect(r.stderr).toContain("legacy-conflict");
  });
});

describe("rally init roles / init all", () => {
  test("adds role routes and default models to the user config, keeping its comments and edits", async () => {
    await using s = sandbox();
    await rally(["init"], { cwd: s.repo, env: s.env });
    const userPath = join(s.home, ".config/rally/config.toml");
    writeFileSync(userPath, readFileSync(userPath, "utf8") + '\n[routes]\nSENIOR = ["cx"]\n');
    const r = await rally(["init", "roles"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Updated ${userPath} with default role routing.`);
    const text = readFileSync(userPath, "utf8");
    expect(text).toContain("# User-level rally config");
    const cfg = parseTOML<{ routes: Record<string, string[]>; defaults: Record<string, string> }>(text);
    expect(cfg.routes).toEqual({ SENIOR: ["cx"], default: ["opencode"], junior: ["opencode"], ui: ["gemini"], verify: ["codex"], recovery: ["claude"] });
    expect(cfg.defaults.claude_model).toBe("claude-opus-4-7");
    expect(readdirSync(join(s.repo, ".rally/agents/builtin")).sort()).toEqual(["junior.md", "recovery.md", "senior.md", "ui.md", "verify.md"]);
    expect(existsSync(join(s.repo, ".rally/agents/user"))).toBe(true);

    const again = await rally(["init", "roles"], { cwd: s.repo, env: s.env });
    expect(again.stdout).toContain("already has role routing defaults.");
    expect(readFileSync(userPath, "utf8")).toBe(text);
  });

  test("init all scaffolds and adds roles; legacy flat role files move to user/", async () => {
    await using s = sandbox();
    Bun.spawnSync(["mkdir", "-p", join(s.repo, ".rally/agents")]);
    writeFileSync(join(s.repo, ".rally/agents/SENIOR.md"), "my own senior prompt\n");
    const r = await rally(["init", "all"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Rally workspace initialized.");
    expect(r.stdout).not.toContain("Tip:");
    expect(readFileSync(join(s.repo, ".rally/agents/user/SENIOR.md"), "utf8")).toBe("my own senior prompt\n");
    expect(existsSync(join(s.repo, ".rally/agents/SENIOR.md"))).toBe(false);
  });

  test("init roles outside a git repo is a clear error", async () => {
    await using s = sandbox({ git: false });
    const r = await rally(["init", "roles"], { cwd: s.repo, env: s.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .* is not inside a git repository \(run `git init`/);
  });
});
