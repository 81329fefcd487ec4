import type { HarnessConfig } from "../config/schema.ts";
import type { HarnessErrorEvent } from "../reliability/evidence.ts";
import type { TokenUsage } from "../state/schema.ts";
import type { EventFilter } from "./lines.ts";

// A harness is data plus pure functions: how to invoke the CLI and how to read what it prints.
// The only I/O is the shared agent supervisor (sys/agent-process.ts), the same for every harness.

export interface InvocationInput {
  prompt: string;
  /** Resolved model slug; "" lets the CLI use its own default. */
  model: string;
  /** Session to continue (only passed when the descriptor supports resume). */
  resumeSessionId?: string;
  /** Reasoning-effort flags already rendered for this harness. */
  effortArgs: string[];
  workspace: string;
  /** The `[harness.<name>]` table: env, extra_args, and for custom harnesses the command. */
  config: HarnessConfig;
}

export interface Invocation {
  argv: string[];
  /** Added to the inherited environment. */
  env: Record<string, string>;
  /** Written to the agent's stdin, then EOF; otherwise stdin is /dev/null. */
  stdinText?: string;
  /** Informational lines for the user (e.g. "model not passed: no model_flag"). */
  notes: string[];
}

export interface HarnessResult {
  completed: boolean;
  summary: string;
  sessionId?: string;
  toolCalls?: number;
  usage?: TokenUsage;
  costUsd?: number;
  /** Errors the CLI reported in its structured output (for failure classification). */
  errorEvents: HarnessErrorEvent[];
}

export type Stream = "stdout" | "stderr";

export interface OutputParser {
  /** Line mode: called once per complete line (no length limit), in arrival order per stream. */
  onLine?(stream: Stream, line: string): void;
  /** Line mode, stdout: event lines onLine has no use for, dropped before they are decoded. */
  stdoutFilter?: EventFilter;
  /** Chunk mode: raw bytes, for parsers that only need the tail of the output. */
  onChunk?(stream: Stream, chunk: Uint8Array): void;
  finish(exitCode: number | null): HarnessResult;
  /**
   * Why the CLI is busy without making progress (e.g. restarting the same step over and over
   * on a cut stream), or undefined. Such an agent keeps its log growing, so the freeze
   * detector cannot see it; rally stops it and rotates.
   */
  stuck?(): string | undefined;
  /** The session id seen so far in the live stream (what a mid-try liveness probe resumes). */
  sessionId?(): string | undefined;
}

export interface HarnessCaps {
  /** True only when the parser captures a session id and invocation passes the resume flag. */
  resume: boolean;
}

export interface LivenessProbeInput {
  /** The session the running agent is in, as its parser captured it from the stream. */
  sessionId: string;
  /** Resolved model slug; "" lets the CLI use its own default. */
  model: string;
  workspace: string;
  /** The `[harness.<name>]` table: env and extra_args, so the probe reaches the same provider. */
  config: HarnessConfig;
  /** A fresh path in a private temp directory for the answer; the runner reads and removes it. */
  answerPath: string;
}

/** How to ask a running agent's session whether it still answers (spec 04 §7). */
export interface LivenessProbe {
  argv: string[];
  /** Added to the inherited environment, like Invocation.env. */
  env: Record<string, string>;
  /** Judges what the CLI wrote to `answerPath` ("" when it wrote nothing). */
  isAlive(answer: string): boolean;
  /**
   * Why a failed exit says nothing about the agent (the CLI could not ask at all: it rejected the
   * probe's arguments, the session is held elsewhere), or undefined when it counts against it.
   */
  couldNotAsk?(failure: { exitCode: number | null; stderr: string }): string | undefined;
}

export interface HarnessDescriptor {
  id: string;
  bin: string;
  caps: HarnessCaps;
  invocation(input: InvocationInput): Invocation;
  parser(): OutputParser;
  /** Set-up a CLI needs around each try (e.g. a settings file); the result undoes it. */
  prepare?(input: { model: string; env: Record<string, string | undefined> }): Promise<{ restore(): void }>;
  /** Undo set-up a killed rally left behind; called once when a relay starts. */
  recover?(env: Record<string, string | undefined>): void;
  /** Present only where the CLI can answer a one-line question in a running session (codex). */
  livenessProbe?(input: LivenessProbeInput): LivenessProbe;
}
