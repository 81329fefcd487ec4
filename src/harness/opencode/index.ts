import { harnessEnv } from "../prompt-input.ts";
import type { HarnessDescriptor, Invocation, InvocationInput } from "../types.ts";
import { createOpencodeParser } from "./parser.ts";

// `opencode run --format json`. The prompt always goes on stdin: as a positional argument
// opencode re-joins and quotes it (the model sees `"\"…\""`), while stdin arrives verbatim,
// has no size limit, and works with `--session` (verified, tests/agents/README.md). `--dir` pins
// the server opencode starts to the workspace; its own cwd alone leaks files into rally's cwd.

/** Headless runs cannot answer permission prompts; the literal JSON allows every tool. */
const OPENCODE_ENV = { OPENCODE_PERMISSION: '{"*":"allow"}' };

export function opencodeInvocation(input: InvocationInput): Invocation {
  const argv = ["opencode", "run", "--format", "json"];
  if (input.model) argv.push("--model", input.model);
  argv.push(...input.effortArgs, ...input.config.extra_args);
  if (input.workspace) argv.push("--dir", input.workspace);
  if (input.resumeSessionId) argv.push("--session", input.resumeSessionId);
  return { argv, env: harnessEnv(OPENCODE_ENV, input.config), stdinText: input.prompt, notes: [] };
}

export const opencodeHarness: HarnessDescriptor = {
  id: "opencode",
  bin: "opencode",
  caps: { resume: true },
  invocation: opencodeInvocation,
  parser: createOpencodeParser,
};
