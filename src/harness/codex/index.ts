import { harnessEnv, promptNeedsStdin } from "../prompt-input.ts";
import type { HarnessDescriptor, Invocation, InvocationInput } from "../types.ts";
import { createCodexParser } from "./parser.ts";

// `codex exec`: every exec-level flag (model, effort, user extra_args) goes before the `resume`
// subcommand, then the thread id, then the prompt (verified, spec 07 §2). A prompt of `-` makes
// codex read it from stdin; otherwise stdin stays /dev/null, because an open stdin pipe is
// appended to the prompt and a never-closed one makes codex wait forever.

/** `--skip-git-repo-check`: rally also runs in plain directories, where codex would refuse to start. */
const EXEC_FLAGS = ["--json", "--dangerously-bypass-approvals-and-sandbox", "--skip-git-repo-check"];

export function codexInvocation(input: InvocationInput): Invocation {
  const viaStdin = promptNeedsStdin(input.prompt);
  const argv = ["codex", "exec", ...EXEC_FLAGS];
  if (input.model) argv.push("--model", input.model);
  argv.push(...input.effortArgs, ...input.config.extra_args);
  if (input.resumeSessionId) argv.push("resume", input.resumeSessionId);
  argv.push(viaStdin ? "-" : input.prompt);
  return { argv, env: harnessEnv({}, input.config), stdinText: viaStdin ? input.prompt : undefined, notes: [] };
}

export const codexHarness: HarnessDescriptor = {
  id: "codex",
  bin: "codex",
  caps: { resume: true },
  invocation: codexInvocation,
  parser: createCodexParser,
};
