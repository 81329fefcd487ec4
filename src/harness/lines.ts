// Byte-level helpers shared by every harness parser: one LF line splitter (no length limit, no
// U+2028 surprises) and a bounded tail buffer so long outputs never sit whole in memory.

const decoder = new TextDecoder();

/**
 * Splits a byte stream into LF-terminated lines (a trailing CR is dropped). Each chunk is decoded
 * once by a streaming decoder — a UTF-8 sequence cut between chunks is held back until its last
 * byte arrives — and lines are cut from the text, so the cost per line is one substring. (Cutting
 * bytes first and decoding every line on its own cost ~6× more on a 200 MiB stream of short lines.)
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private pending = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    const text = this.decoder.decode(chunk, { stream: true });
    let nl = text.indexOf("\n");
    if (nl < 0) {
      this.pending += text;
      return;
    }
    this.emit(this.pending + text.slice(0, nl));
    this.pending = "";
    let start = nl + 1;
    for (nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
    this.pending = text.slice(start);
  }

  /** Emit a final line that had no trailing newline (and any bytes the decoder held back). */
  flush(): void {
    const rest = this.pending + this.decoder.decode();
    this.pending = "";
    if (rest) this.emit(rest);
  }

  private emit(line: string): void {
    this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
}

/** Keeps only the last `capacity` bytes written to it. */
export class TailBuffer {
  private chunks: Uint8Array[] = [];
  private size = 0;
  total = 0;

  constructor(private readonly capacity: number) {}

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    this.chunks.push(chunk.length > this.capacity ? chunk.slice(chunk.length - this.capacity) : chunk.slice());
    this.size += Math.min(chunk.length, this.capacity);
    while (this.size - this.chunks[0]!.length >= this.capacity) this.size -= this.chunks.shift()!.length;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return decoder.decode(all.length > this.capacity ? all.subarray(all.length - this.capacity) : all);
  }
}

const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)|\x1b[^[\]]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** The last `n` non-trailing lines of `text`, ANSI removed, trailing whitespace trimmed. */
export function tailLines(text: string, n: number): string {
  const clean = stripAnsi(text).replace(/[ \t\r\n]+$/, "");
  if (!clean) return "";
  return clean.split("\n").slice(-n).join("\n");
}
