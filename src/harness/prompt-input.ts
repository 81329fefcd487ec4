import type { HarnessConfig } from "../config/schema.ts";

// How the prompt reaches a CLI. As an argument it is subject to Linux's per-argument limit
// (MAX_ARG_STRLEN: 32 pages = 128 KiB including the terminating NUL), and an argument that starts
// with "-" would be read as a flag. Where a CLI reads its prompt from stdin, such prompts go there.

/** Largest prompt, in UTF-8 bytes, passed as a single argument; the margin leaves room for the NUL. */
export const ARGV_PROMPT_MAX_BYTES = 128 * 1024 - 1024;

export function promptByteLength(prompt: string): number {
  return Buffer.byteLength(prompt, "utf8");
}

/** True when the prompt cannot safely be one argv element. */
export function promptNeedsStdin(prompt: string): boolean {
  return prompt.startsWith("-") || promptByteLength(prompt) > ARGV_PROMPT_MAX_BYTES;
}

/** The harness's own variables first, so a `[harness.X] env` entry can override any of them. */
export function harnessEnv(defaults: Record<string, string>, config: HarnessConfig): Record<string, string> {
  return { ...defaults, ...config.env };
}
