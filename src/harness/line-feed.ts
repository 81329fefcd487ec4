import { LineSplitter } from "./lines.ts";
import type { OutputParser, Stream } from "./types.ts";

/** Raw output → lines → a line-mode parser, one splitter per stream: how every line parser is fed. */
export interface LineFeed {
  push(stream: Stream, chunk: Uint8Array): void;
  flush(): void;
}

export function lineFeed(parser: OutputParser): LineFeed | undefined {
  const onLine = parser.onLine?.bind(parser);
  if (!onLine) return undefined;
  const splitters = {
    stdout: new LineSplitter((l) => onLine("stdout", l), parser.stdoutFilter),
    stderr: new LineSplitter((l) => onLine("stderr", l)),
  };
  return {
    push: (stream, chunk) => splitters[stream].push(chunk),
    flush() {
      splitters.stdout.flush();
      splitters.stderr.flush();
    },
  };
}
