import { harnessEnv, promptNeedsStdin } from "../prompt-input.ts";
import type { HarnessDescriptor, Invocation, InvocationInput, LivenessProbe, LivenessProbeInput } from "../types.ts";
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

/** The liveness probe's question (spec 04 §7). */
export const PROBE_PROMPT = "Respond with exactly OK.";

/** Failed probes that never reached the model, as codex words them (checked against codex 0.169). */
const PROBE_COULD_NOT_ASK: Array<[match: (f: { exitCode: number | null; stderr: string }) => boolean, why: string]> = [
  [(f) => f.exitCode === 2, "codex rejected the probe's arguments (a codex without `exec fork`?)"],
  [(f) => f.stderr.includes("already has an active writer"), "the session is held by another codex process"],
];

/**
 * One short turn on the agent's conversation, through the same exec flags, provider overrides and
 * env as the agent; codex's last message goes to `answerPath` (`-o`). Spec 04 §7 says `resume`,
 * but a running codex holds its thread's writer lock, so resuming a live session fails ("already
 * has an active writer"); `fork` replays the same history into a throwaway thread, and
 * `--ephemeral` keeps that thread off disk, so the agent's own session is left untouched.
 */
export function codexLivenessProbe(input: LivenessProbeInput): LivenessProbe {
  const argv = ["codex", "exec", ...EXEC_FLAGS, "--ephemeral", "-o", input.answerPath];
  if (input.model) argv.push("--model", input.model);
  argv.push(...input.config.extra_args, "fork", input.sessionId, PROBE_PROMPT);
  return {
    argv,
    env: harnessEnv({}, input.config),
    isAlive: (answer) => answer.trim() === "OK",
    couldNotAsk: (failure) => PROBE_COULD_NOT_ASK.find(([match]) => match(failure))?.[1],
  };
}

export const codexHarness: HarnessDescriptor = {
  id: "codex",
  bin: "codex",
  caps: { resume: true },
  invocation: codexInvocation,
  parser: createCodexParser,
  livenessProbe: codexLivenessProbe,
};
