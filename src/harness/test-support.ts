import { readFileSync } from "node:fs";
import { lineFeed } from "./line-feed.ts";
import type { HarnessResult, InvocationInput, OutputParser } from "./types.ts";
import type { HarnessConfig } from "../config/schema.ts";

// Test helpers for harness folders: feed recorded output through a parser exactly the way the
// engine does (bytes → lineFeed → onLine), and build invocation inputs. Nothing is spawned.

export interface RecordedOutput {
  stdout?: string;
  stderr?: string;
  exitCode: number | null;
  /** Split the bytes into chunks of this size to exercise line reassembly (default: 7). */
  chunkBytes?: number;
}

export function runParser(parser: OutputParser, out: RecordedOutput): HarnessResult {
  const size = out.chunkBytes ?? 7;
  const lines = lineFeed(parser);
  for (const stream of ["stdout", "stderr"] as const) {
    const bytes = new TextEncoder().encode(out[stream] ?? "");
    for (let at = 0; at < bytes.length; at += size) {
      const chunk = bytes.subarray(at, at + size);
      if (lines) lines.push(stream, chunk);
      else parser.onChunk?.(stream, chunk);
    }
  }
  lines?.flush();
  return parser.finish(out.exitCode);
}

/** A fixture file next to the calling test: `fixture(import.meta.url, "text.jsonl")`. */
export function fixture(testUrl: string, name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, testUrl), "utf8");
}

export function invocationInput(over: Partial<Omit<InvocationInput, "config">> & { config?: Partial<HarnessConfig> } = {}): InvocationInput {
  const { config, ...rest } = over;
  return {
    prompt: "do the task",
    model: "",
    effortArgs: [],
    workspace: "/work/repo",
    ...rest,
    config: { models: {}, env: {}, extra_args: [], ...config },
  };
}

/** The JSON line for one event (tests build small streams inline). */
export const jsonl = (...events: unknown[]): string => events.map((e) => JSON.stringify(e)).join("\n") + "\n";
