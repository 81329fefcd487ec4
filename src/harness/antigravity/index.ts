import { homedir } from "node:os";
import { prepare, restorePending } from "./settings-swap.ts";
import { promptByteLength, harnessEnv, ARGV_PROMPT_MAX_BYTES } from "../prompt-input.ts";
import type { HarnessDescriptor, Invocation, InvocationInput } from "../types.ts";
import { createAntigravityParser } from "./parser.ts";

// Antigravity's CLI, `agy --print <prompt>`. It has no model flag: the engine swaps the model
// label into ~/.gemini/antigravity-cli/settings.json around the run (settings-swap.ts). Its log
// goes to stderr so the conversation id streams into the parser and the try log while it runs.
// agy takes the prompt only as an argument, so a prompt over the argument limit cannot be passed;
// the supervisor then reports E2BIG as a launch error, and the note says why.

/** Long enough that rally's own try and run timeouts always decide when agy is stopped. */
const PRINT_TIMEOUT = "--print-timeout=24h0m0s";

export function antigravityInvocation(input: InvocationInput): Invocation {
  const argv = ["agy", "--log-file=/dev/stderr", PRINT_TIMEOUT, "--dangerously-skip-permissions"];
  argv.push(...input.effortArgs, ...input.config.extra_args);
  if (input.resumeSessionId) argv.push(`--conversation=${input.resumeSessionId}`);
  // A prompt that starts with "-" would be read as a flag; "--" ends flag parsing first.
  argv.push("--print", ...(input.prompt.startsWith("-") ? ["--"] : []), input.prompt);
  const notes: string[] = [];
  const bytes = promptByteLength(input.prompt);
  if (bytes > ARGV_PROMPT_MAX_BYTES) {
    notes.push(`antigravity: the prompt is ${bytes} bytes; agy only takes it as an argument, which Linux limits to 128 KiB`);
  }
  return { argv, env: harnessEnv({}, input.config), notes };
}

export const antigravityHarness: HarnessDescriptor = {
  id: "antigravity",
  bin: "agy",
  caps: { resume: true },
  invocation: antigravityInvocation,
  parser: createAntigravityParser,
  // agy has no model flag: the model is set in its settings file for the run, then put back.
  prepare: ({ model, env }) => prepare(homeOf(env), model),
  recover: (env) => {
    restorePending(homeOf(env));
  },
};

function homeOf(env: Record<string, string | undefined>): string {
  return env.HOME ?? homedir();
}
