#!/usr/bin/env bun
// A fake agent CLI for engine tests. It records how it was invoked (argv, selected env, stdin)
// as one JSON line in $AGENT_RECORD, then acts as $AGENT_SCRIPT says, a comma list of steps:
//   write:<path>[=<content>]   create a file in the cwd
//   append:<path>=<line>       append a line (a change on every run)
//   say:<text>                 print a line on stdout
//   cat:<path>                 print a file's bytes on stdout (replay a recorded CLI run)
//   caterr:<path>              the same on stderr
//   err:<text>                 print a line on stderr
//   sleep:<ms>                 wait
//   exit:<code>                exit with that code
//   commit:<msg>               git add -A && git commit (as the agent itself would)
//   progress:<summary>         call `rally progress --summary` via $RALLY_BIN
//   sh:<command>               run a shell command in the cwd (e.g. `sh:laps done`); its output is the agent's
// AGENT_SCRIPT_<n> overrides the script for the n-th invocation recorded in $AGENT_RECORD.
// With no script it prints one line and exits 0.

import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const stdin = process.stdin.isTTY ? "" : await Bun.stdin.text();
if (process.env.AGENT_RECORD) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("AGENT_") || k.startsWith("X_")));
  appendFileSync(process.env.AGENT_RECORD, JSON.stringify({ argv: process.argv.slice(2), stdin, env, cwd: process.cwd() }) + "\n");
}
const invocation = process.env.AGENT_RECORD ? (await Bun.file(process.env.AGENT_RECORD).text()).split("\n").filter(Boolean).length : 1;
const script = process.env[`AGENT_SCRIPT_${invocation}`] ?? process.env.AGENT_SCRIPT ?? "say:done";
for (const step of script.split(",")) {
  const [op, ...rest] = step.split(":");
  const arg = rest.join(":");
  switch (op) {
    case "write": {
      const [path, content = ""] = arg.split("=");
      mkdirSync(dirname(path!), { recursive: true });
      writeFileSync(path!, content);
      break;
    }
    case "append": {
      const [path, line = ""] = arg.split("=");
      appendFileSync(path!, line + "\n");
      break;
    }
    case "cat":
      process.stdout.write(await Bun.file(arg).bytes());
      break;
    case "caterr":
      process.stderr.write(await Bun.file(arg).bytes());
      break;
    case "say":
      console.log(arg);
      break;
    case "err":
      console.error(arg);
      break;
    case "sleep":
      await Bun.sleep(Number(arg));
      break;
    case "exit":
      process.exit(Number(arg));
    case "commit":
      Bun.spawnSync(["git", "add", "-A"]);
      Bun.spawnSync(["git", "-c", "user.name=Agent", "-c", "user.email=a@a", "commit", "-qm", arg]);
      break;
    case "sh":
      Bun.spawnSync(["sh", "-c", arg], { stdout: "inherit", stderr: "inherit" });
      break;
    case "progress":
      Bun.spawnSync([...(process.env.RALLY_BIN ?? "rally").split(" "), "progress", "--summary", arg]);
      break;
  }
}
