import { harnessEnv, promptNeedsStdin } from "../prompt-input.ts";
import type { HarnessDescriptor, Invocation, InvocationInput } from "../types.ts";
import { createGeminiParser } from "./parser.ts";

// gemini-cli headless: `-p <prompt> -o stream-json --yolo --skip-trust` (verified, spec 07 §3).
// `--resume <session uuid>` is accepted by gemini-cli 0.61 even though its help only mentions
// "latest" or an index: spec 07/07b resumed a captured session_id and the model saw the earlier
// turn (codeword check), so resume is enabled. With stdin not a terminal gemini reads it and puts
// it before any `-p` text, so an over-long prompt goes there with no `-p` at all.

/** gemini-cli's own error text names both this and --skip-trust; older versions only know the variable. */
const GEMINI_ENV = { GEMINI_CLI_TRUST_WORKSPACE: "true" };

export function geminiInvocation(input: InvocationInput): Invocation {
  const viaStdin = promptNeedsStdin(input.prompt);
  const argv = ["gemini", ...(viaStdin ? [] : ["-p", input.prompt]), "-o", "stream-json", "--yolo", "--skip-trust"];
  if (input.model) argv.push("-m", input.model);
  argv.push(...input.effortArgs, ...input.config.extra_args);
  if (input.resumeSessionId) argv.push("--resume", input.resumeSessionId);
  return { argv, env: harnessEnv(GEMINI_ENV, input.config), stdinText: viaStdin ? input.prompt : undefined, notes: [] };
}

export const geminiHarness: HarnessDescriptor = {
  id: "gemini",
  bin: "gemini",
  caps: { resume: true },
  invocation: geminiInvocation,
  parser: createGeminiParser,
};
