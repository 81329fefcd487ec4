import type { HarnessConfig } from "../config/schema.ts";
import { TailBuffer, tailLines } from "./lines.ts";
import type { HarnessDescriptor, Invocation, InvocationInput, OutputParser } from "./types.ts";

// A `[harness.<name>]` with `command`: the prompt replaces `$PROMPT` wherever it appears (whole or
// part of an argument), or goes to stdin when no argument mentions it. No shell is involved.

const DEFAULT_OUTPUT_LINES = 40;
const TAIL_BYTES_PER_LINE = 1024;

export function customHarness(name: string, cfg: HarnessConfig): HarnessDescriptor {
  const command = cfg.command ?? [];
  return {
    id: name,
    bin: command[0] ?? name,
    caps: { resume: false },
    invocation: (input) => customInvocation(name, command, input),
    parser: () => tailParser(cfg),
  };
}

function customInvocation(name: string, command: string[], input: InvocationInput): Invocation {
  const usesPrompt = command.some((part) => part.includes("$PROMPT"));
  // split/join replaces every occurrence without treating the prompt as a replacement pattern.
  const argv = command.map((part) => part.split("$PROMPT").join(input.prompt));
  const notes: string[] = [];
  argv.push(...input.config.extra_args);
  const flag = input.config.model_flag;
  if (input.model) {
    if (flag === undefined) {
      notes.push(`harness "${name}" has no model_flag, so model "${input.model}" is not passed; the CLI's default model is used`);
    } else {
      argv.push(...(flag === "" ? [input.model] : [flag, input.model]));
    }
  }
  return { argv, env: { ...input.config.env }, stdinText: usesPrompt ? undefined : input.prompt, notes };
}

function tailParser(cfg: HarnessConfig): OutputParser {
  const lines = cfg.output_lines ?? DEFAULT_OUTPUT_LINES;
  const capacity = Math.max(64 * 1024, lines * TAIL_BYTES_PER_LINE);
  const out = new TailBuffer(capacity);
  const err = new TailBuffer(capacity);
  const stream = cfg.tail_stream ?? "combined";
  return {
    onChunk(which, chunk) {
      (which === "stdout" ? out : err).push(chunk);
    },
    finish(exitCode) {
      // "combined" is all of stdout followed by all of stderr, as the CLI wrote each.
      const selected = stream === "stdout" ? out.text() : stream === "stderr" ? err.text() : out.text() + err.text();
      return { completed: exitCode === 0, summary: tailLines(selected, lines), errorEvents: [] };
    },
  };
}
