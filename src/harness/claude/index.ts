import { harnessEnv, promptNeedsStdin } from "../prompt-input.ts";
import type { HarnessDescriptor, Invocation, InvocationInput } from "../types.ts";
import { createClaudeParser } from "./parser.ts";

// Claude Code in print mode. The prompt goes right after `-p` (verified order, spec 07 §1), so a
// variadic extra flag such as `--add-dir a b` can never swallow it. Without a prompt argument
// `claude -p` reads the prompt from stdin, which is how over-long prompts are passed.

export interface ClaudeHostFacts {
  /** claude refuses --dangerously-skip-permissions as root unless IS_SANDBOX=1 (spec 07 §1). */
  runningAsRoot: boolean;
}

export function claudeInvocation(input: InvocationInput, host: ClaudeHostFacts): Invocation {
  const viaStdin = promptNeedsStdin(input.prompt);
  const argv = ["claude", "-p", ...(viaStdin ? [] : [input.prompt])];
  argv.push("--dangerously-skip-permissions", "--output-format", "stream-json", "--verbose");
  if (input.model) argv.push("--model", input.model);
  argv.push(...input.effortArgs, ...input.config.extra_args);
  if (input.resumeSessionId) argv.push("--resume", input.resumeSessionId);
  const env = harnessEnv(host.runningAsRoot ? { IS_SANDBOX: "1" } : {}, input.config);
  return { argv, env, stdinText: viaStdin ? input.prompt : undefined, notes: [] };
}

export function createClaudeHarness(hostFacts: () => ClaudeHostFacts): HarnessDescriptor {
  return {
    id: "claude",
    bin: "claude",
    caps: { resume: true },
    invocation: (input) => claudeInvocation(input, hostFacts()),
    parser: createClaudeParser,
  };
}

/** Reads the uid when a try starts, not at import time. */
export const claudeHarness = createClaudeHarness(() => ({ runningAsRoot: process.getuid?.() === 0 }));
