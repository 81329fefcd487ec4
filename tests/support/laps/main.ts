// Test laps: entry point. A laps 0.8.x-compatible CLI written from spec 09 for rally's tests.
// Fake-only knobs: LAPS_FAKE_VERSION, LAPS_FAKE_MODE=0.8|0.9, LAPS_FAKE_FAIL=<cmd>[:<code>],
// LAPS_FAKE_LOG=<path> (one JSON argv array per call).
import { appendFileSync, readFileSync } from "node:fs";
import { cmdClaim, cmdDone } from "./claim-commands.ts";
import { errLine, flushStdout, openStore, type Ctx, type FakeMode } from "./context.ts";
import { hookOnlyVariables, runHooks } from "./hooks.ts";
import { cmdAdd, cmdGet, cmdList } from "./lap-commands.ts";
import { cmdInit, cmdOnOff, fakeVersion, USAGE } from "./setup-commands.ts";
import { LapsExit } from "./store.ts";

type Command = (ctx: Ctx, tokens: string[]) => number;

const BUILTINS: Record<string, Command> = {
  init: cmdInit,
  on: (ctx, t) => cmdOnOff(ctx, t, true),
  off: (ctx, t) => cmdOnOff(ctx, t, false),
  add: cmdAdd,
  get: cmdGet,
  claim: cmdClaim,
  list: cmdList,
  done: cmdDone,
  version: (ctx) => (ctx.stdout.push(`${fakeVersion(ctx)}\n`), 0),
  help: (ctx, t) => (ctx.stdout.push(USAGE[t[0] ?? ""] ?? USAGE[""]!), 0),
};

/** Leading global flags (`-f <name>` consumes its value), then the command word. */
function splitWord(argv: string[]): { fileName?: string; word?: string; rest: string[]; flag?: string } {
  let fileName: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (tok === "-f" || tok === "--file") fileName = argv[++i];
    else if (tok.startsWith("--file=")) fileName = tok.slice(7);
    else if (tok === "--json-output") continue;
    else if (["-v", "--version", "-h", "--help"].includes(tok)) return { fileName, flag: tok, rest: [] };
    else return { fileName, word: tok, rest: argv.slice(i + 1) };
  }
  return { fileName, rest: [] };
}

function fakeFailure(word: string): number | undefined {
  const knob = process.env.LAPS_FAKE_FAIL;
  if (!knob) return undefined;
  const [cmd, code] = knob.split(":");
  if (cmd !== word) return undefined;
  return code ? Number(code) : 1;
}

/** `laps <word> [args]` for a non-built-in word: before hooks, after hooks, exit 0 (§3.10). */
function hookOnly(ctx: Ctx, word: string, args: string[]): number {
  const store = openStore(ctx, true, "");
  const vars = hookOnlyVariables({ command: word, file: store.file, args });
  const before = runHooks(store.hooks, store.root, word, "before", vars);
  ctx.stdout.push(before.passback);
  if (before.failure) {
    errLine(`hook: ${before.failure}`);
    return 4;
  }
  flushStdout(ctx);
  const afterVars = hookOnlyVariables({ command: word, file: store.file, args, exitCode: "0", output: "" });
  const after = runHooks(store.hooks, store.root, word, "after", afterVars);
  ctx.stdout.push(after.passback);
  if (after.failure) errLine(`after hook: ${after.failure}`);
  return 0;
}

function dispatch(ctx: Ctx, argv: string[]): number {
  const { fileName, word, rest, flag } = splitWord(argv);
  ctx.fileName = fileName;
  if (flag === "-v" || flag === "--version") return BUILTINS.version!(ctx, []);
  if (!word || flag) return BUILTINS.help!(ctx, []);
  const failCode = fakeFailure(word);
  if (failCode !== undefined) throw new LapsExit(failCode, `${word}: failure injected by LAPS_FAKE_FAIL`);
  const builtin = BUILTINS[word];
  if (!builtin) return hookOnly(ctx, word, rest);
  if (rest.includes("--help") || rest.includes("-h")) return BUILTINS.help!(ctx, [word]);
  const fileIdx = rest.findIndex((t) => t === "-f" || t === "--file");
  if (fileIdx >= 0 && rest[fileIdx + 1]) ctx.fileName = rest[fileIdx + 1];
  const fileEq = rest.find((t) => t.startsWith("--file="));
  if (fileEq) ctx.fileName = fileEq.slice(7);
  return builtin(ctx, rest);
}

export function main(argv: string[]): number {
  if (process.env.LAPS_FAKE_LOG) appendFileSync(process.env.LAPS_FAKE_LOG, `${JSON.stringify(argv)}\n`);
  const mode: FakeMode = process.env.LAPS_FAKE_MODE === "0.9" ? "0.9" : "0.8";
  const ctx: Ctx = {
    cwd: process.cwd(), mode, stdout: [],
    readStdin: () => {
      try {
        return readFileSync(0, "utf8");
      } catch {
        return "";
      }
    },
  };
  let code: number;
  try {
    code = dispatch(ctx, argv);
  } catch (err) {
    if (!(err instanceof LapsExit)) throw err;
    errLine(err.message);
    code = err.code;
  }
  flushStdout(ctx);
  return code;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
