import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { fallbackIdentityArgs } from "./git.ts";

const dir = realpathSync(mkdtempSync(join(tmpdir(), "rally-git-identity-")));
const globalConfig = join(dir, "global.gitconfig");
const saved = { global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };

// Real git, with the machine's own global and system config shut out.
beforeAll(() => {
  process.env.GIT_CONFIG_GLOBAL = globalConfig;
  process.env.GIT_CONFIG_NOSYSTEM = "1";
});
afterAll(() => {
  for (const [key, value] of [["GIT_CONFIG_GLOBAL", saved.global], ["GIT_CONFIG_NOSYSTEM", saved.nosystem]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

let repos = 0;
/** A fresh repo (the lookup is cached per directory) with `local` as its .git/config additions. */
function repo(global: string, local: string): string {
  writeFileSync(globalConfig, global);
  const path = join(dir, `repo-${++repos}`);
  mkdirSync(path);
  Bun.spawnSync(["git", "init", "-q", path]);
  if (local) Bun.spawnSync(["sh", "-c", `printf '%s' "$1" >> .git/config`, "sh", local], { cwd: path });
  return path;
}

describe("fallbackIdentityArgs: the identity parts a repo lacks", () => {
  test("nothing configured: both fall back", async () => {
    expect(await fallbackIdentityArgs(repo("", ""))).toEqual(["-c", "user.name=Rally", "-c", "user.email=rally@localhost"]);
  });

  test("a name but no email: only the email falls back", async () => {
    expect(await fallbackIdentityArgs(repo("[user]\n\tname = Ada\n", ""))).toEqual(["-c", "user.email=rally@localhost"]);
  });

  test("both set across global and repo config: nothing to add", async () => {
    expect(await fallbackIdentityArgs(repo("[user]\n\tname = Ada\n", "[user]\n\temail = ada@example.com\n"))).toEqual([]);
  });

  test("the repo's value wins: an empty email there is no email, even with one set globally", async () => {
    expect(await fallbackIdentityArgs(repo("[user]\n\tname = Ada\n\temail = ada@example.com\n", '[user]\n\temail = ""\n'))).toEqual(["-c", "user.email=rally@localhost"]);
  });

  test("a name with spaces and an upper-case key spelling still count", async () => {
    expect(await fallbackIdentityArgs(repo("", "[User]\n\tName = Ada Lovelace\n\tEMAIL = ada@example.com\n"))).toEqual([]);
  });
});
