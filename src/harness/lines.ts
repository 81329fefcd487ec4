// Byte-level helpers shared by every harness parser: one LF line splitter (no length limit, no
// U+2028 surprises) and a bounded tail buffer so long outputs never sit whole in memory.

const LF = 0x0a;
const decoder = new TextDecoder();

export class LineSplitter {
  private pending: Uint8Array[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    for (let nl = chunk.indexOf(LF); nl >= 0; nl = chunk.indexOf(LF, start)) {
      this.emit(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.slice(start));
  }

  /** Emit a final line that had no trailing newline. */
  flush(): void {
    if (this.pending.length) this.emit(new Uint8Array(0));
  }

  private emit(tail: Uint8Array): void {
    let bytes = tail;
    if (this.pending.length) {
      bytes = Buffer.concat([...this.pending, tail]);
      this.pending = [];
    }
    const line = decoder.decode(bytes);
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
