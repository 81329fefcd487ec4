#!/usr/bin/env bun
// `bun run demo`: a real relay on a fresh machine with no agent CLI or account. It makes a
// scratch git repo, runs `rally init`, then a two-iteration relay with the built-in demo agent,
// and shows what rally recorded. Pass --keep to leave the repo for a look around.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";

const MAIN = join(import.meta.dir, "..", "src", "main.ts");
const keep = process.argv.includes("--keep");
const scratch = mkdtempSync(join(tmpdir(), "rally-demo-"));
const repo = join(scratch, "repo");
// Its own HOME, so the demo leaves no user config or logs behind on the machine.
const home = join(scratch, "home");
mkdirSync(repo, { recursive: true });
mkdirSync(home, { recursive: true });

function run(argv: string[], quiet = false): void {
  if (!quiet) console.log(`\n$ ${argv.join(" ")}`);
  const r = Bun.spawnSync(argv[0] === "rally" ? [process.execPath, MAIN, ...argv.slice(1)] : argv, {
    cwd: repo,
    stdout: quiet ? "ignore" : "inherit",
    stderr: "inherit",
    stdin: "ignore",
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), RALLY_NO_UPDATE_CHECK: "1" },
  });
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} exited with ${r.exitCode}`);
}

try {
  run(["git", "init", "-q"], true);
  run(["git", "-c", "user.name=Demo", "-c", "user.email=demo@localhost", "commit", "-q", "--allow-empty", "-m", "start"], true);
  console.log(`scratch repo: ${repo}`);
  run(["rally", "init"]);
  run(["rally", "relay", "--new", "-i", "2", "--agent", "demo", "Create a file called hello.txt with content 'hello from rally'"]);
  run(["git", "log", "--oneline"]);
  console.log(`\nhello.txt: ${readFileSync(join(repo, "hello.txt"), "utf8").trim()}`);
  console.log(`tries recorded: ${readFileSync(join(repo, ".rally/state/tries.jsonl"), "utf8").trim().split("\n").length} (.rally/state/tries.jsonl)`);
} finally {
  if (keep) console.log(`\nkept ${repo}`);
  else rmSync(scratch, { recursive: true, force: true });
}
