// Byte-level helpers shared by every harness parser: one LF line splitter (no length limit, no
// U+2028 surprises) and a bounded tail buffer so long outputs never sit whole in memory.

const decoder = new TextDecoder();

/**
 * Event lines a splitter drops without decoding: a line that starts `{"type":"<t>"` with `t` not in
 * `reads`. The built-in CLIs put `"type"` first in every event, and the events their parsers skip
 * (tool results: whole files, command output) are most of a busy stream's bytes.
 */
export interface EventFilter {
  reads: ReadonlySet<string>;
  onSkipped(): void;
}

const LF = 0x0a;
const TYPE_PREFIX = Buffer.from('{"type":"');
/** An event type longer than this is not one a parser names: the line is kept (and parsed in full). */
const MAX_TYPE_BYTES = 48;
const UNDECIDED = Symbol("undecided");

/**
 * Splits a byte stream into LF-terminated lines (a trailing CR is dropped). Lines are cut on bytes,
 * and each run of complete lines in a chunk is decoded at once and cut as text, so the cost per
 * line stays one substring. A line split across chunks is held as bytes until its end arrives, so
 * a UTF-8 sequence is never cut. With an EventFilter, skipped event lines are never decoded, and
 * one that is still arriving is dropped as it comes instead of held. Chunks may be views of a
 * reused buffer: whatever outlives a push is copied.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  /** The unfinished line's bytes so far (copies), unless it is being skipped. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private skippingPending = false;
  /** What the filter made of the unfinished line's first bytes. */
  private pendingVerdict: boolean | typeof UNDECIDED = UNDECIDED;
  private readBytes?: Buffer[];

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly filter?: EventFilter,
  ) {}

  /** Bytes of the unfinished line held so far (a skipped one holds none). */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.pendingBytes > 0 || this.skippingPending) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) return this.hold(chunk, 0, chunk.length);
      this.hold(chunk, 0, nl);
      this.endPending();
      start = nl + 1;
    }
    const end = this.filter ? this.emitFiltered(chunk, start) : this.emitLines(chunk, start, chunk.lastIndexOf(LF) + 1);
    if (end < chunk.length) this.hold(chunk, end, chunk.length);
  }

  /** Emit a final line that had no trailing newline. */
  flush(): void {
    if (this.pendingBytes > 0 || this.skippingPending) this.endPending();
  }

  /** Complete lines from `start` on, skipping filtered events; returns where the unfinished rest begins. */
  private emitFiltered(chunk: Uint8Array, start: number): number {
    let run = start;
    for (let nl = chunk.indexOf(LF, start); nl >= 0; nl = chunk.indexOf(LF, start)) {
      if (this.skips(chunk, start, nl) === true) {
        this.emitLines(chunk, run, start);
        this.filter!.onSkipped();
        run = nl + 1;
      }
      start = nl + 1;
    }
    this.emitLines(chunk, run, start);
    return start;
  }

  /** Decode [from, to) — whole lines, each ending in LF — in one go and emit them. */
  private emitLines(chunk: Uint8Array, from: number, to: number): number {
    if (to <= from) return from;
    const text = this.decoder.decode(chunk.subarray(from, to));
    for (let at = 0, nl = text.indexOf("\n"); nl >= 0; at = nl + 1, nl = text.indexOf("\n", at)) this.emit(text.slice(at, nl));
    return to;
  }

  private hold(chunk: Uint8Array, from: number, to: number): void {
    if (this.skippingPending || to <= from) return;
    this.pending.push(chunk.slice(from, to));
    this.pendingBytes += to - from;
    if (!this.filter || this.pendingVerdict !== UNDECIDED) return;
    // Decided once, from the line's first bytes; only a skipped line is let go of early.
    this.pendingVerdict = this.skips(this.joinPending(), 0, this.pendingBytes);
    if (this.pendingVerdict !== true) return;
    this.skippingPending = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private endPending(): void {
    const bytes = this.joinPending();
    const skipped = this.skippingPending || (this.filter !== undefined && this.skips(bytes, 0, bytes.length) === true);
    this.pending = [];
    this.pendingBytes = 0;
    this.skippingPending = false;
    this.pendingVerdict = UNDECIDED;
    if (skipped) this.filter!.onSkipped();
    else this.emit(this.decoder.decode(bytes));
  }

  private joinPending(): Uint8Array {
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0] ?? new Uint8Array(0);
  }

  /** Whether the line in [from, to) is a skipped event; UNDECIDED while too little of it is known. */
  private skips(bytes: Uint8Array, from: number, to: number): boolean | typeof UNDECIDED {
    for (let i = 0; i < TYPE_PREFIX.length; i++) {
      if (from + i >= to) return UNDECIDED;
      if (bytes[from + i] !== TYPE_PREFIX[i]) return false;
    }
    const typeStart = from + TYPE_PREFIX.length;
    const limit = Math.min(to, typeStart + MAX_TYPE_BYTES);
    for (let j = typeStart; j < limit; j++) {
      if (bytes[j] === 0x22) return !this.readsType(bytes, typeStart, j);
    }
    return limit < typeStart + MAX_TYPE_BYTES ? UNDECIDED : false;
  }

  /** Whether bytes [from, to) spell one of the filter's types (compared as bytes: no string per line). */
  private readsType(bytes: Uint8Array, from: number, to: number): boolean {
    this.readBytes ??= [...this.filter!.reads].map((t) => Buffer.from(t));
    next: for (const t of this.readBytes) {
      if (t.length !== to - from) continue;
      for (let i = 0; i < t.length; i++) if (bytes[from + i] !== t[i]) continue next;
      return true;
    }
    return false;
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
