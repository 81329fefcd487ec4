import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { dirname } from "pathe";

// A try log with two writers. The agent appends its stdout straight into the file (its stdout
// *is* the file: no pipe to fill, no copy through rally), and rally appends what it reads from
// the agent's stderr pipe. rally records where each of its own appends landed, so the agent's
// stdout can be read back out of the file alone — live for the harness parsers, or only its tail.

export class TryLog {
  /** File ranges [start, end) rally wrote, in file order. */
  private readonly own: Array<[number, number]> = [];

  private constructor(readonly fd: number) {}

  /** Created exclusively (an existing log is never overwritten), in append mode for both writers. */
  static create(path: string): TryLog {
    mkdirSync(dirname(path), { recursive: true });
    return new TryLog(openSync(path, "ax+"));
  }

  size(): number {
    return fstatSync(this.fd).size;
  }

  /** Append bytes of rally's own (the agent's stderr, launch errors) and remember where they went. */
  append(data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    for (let off = 0; off < bytes.length; ) {
      const before = this.size();
      const n = writeSync(this.fd, bytes, off, bytes.length - off);
      const start = this.locate(bytes.subarray(off, off + n), before, this.size());
      this.own.push([start, start + n]);
      off += n;
    }
  }

  /**
   * Where a write of `piece` landed, given the file size just before and after it. Each append is
   * atomic, so the piece lies whole inside [before, after); that window holds more than the piece
   * only when the agent appended in the same instant, and then the piece is found by its bytes.
   */
  private locate(piece: Uint8Array, before: number, after: number): number {
    if (after - before === piece.length) return before;
    const window = this.read(before, after);
    const at = window.indexOf(piece);
    return at >= 0 ? before + at : after - piece.length;
  }

  /**
   * The agent's own bytes in [from, to) of the file, rally's appends cut out, as pieces in order.
   * With `scratch` (at least `to - from` bytes) the pieces are views of it, valid until the
   * caller's next read: a reader that follows a log reuses one buffer instead of fresh memory for
   * every read, which on a busy log cost more than the read itself.
   */
  agentBytes(from: number, to: number, scratch?: Buffer): Uint8Array[] {
    if (to <= from) return [];
    const bytes = this.read(from, to, scratch);
    const pieces: Uint8Array[] = [];
    let at = from;
    // A long try can hold many stderr appends; start at the first one that ends after `from`.
    for (let i = this.firstOwnEndingAfter(from); i < this.own.length; i++) {
      const [start, end] = this.own[i]!;
      if (start >= to) break;
      if (start > at) pieces.push(bytes.subarray(at - from, start - from));
      at = Math.max(at, end);
    }
    if (at < to) pieces.push(bytes.subarray(at - from));
    return pieces;
  }

  /** The last `max` bytes the agent itself wrote. */
  agentTail(max: number): Uint8Array {
    const size = this.size();
    // Reach back far enough that, with rally's appends in that stretch cut out, `max` remain.
    let from = Math.max(0, size - max);
    for (let covered = -1; covered !== this.ownBytesAfter(from); ) {
      covered = this.ownBytesAfter(from);
      from = Math.max(0, size - max - covered);
    }
    const all = Buffer.concat(this.agentBytes(from, size));
    return all.length > max ? all.subarray(all.length - max) : all;
  }

  close(): void {
    closeSync(this.fd);
  }

  private firstOwnEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.own.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.own[mid]![1] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private ownBytesAfter(from: number): number {
    return this.own.reduce((n, [start, end]) => n + Math.max(0, end - Math.max(start, from)), 0);
  }

  private read(from: number, to: number, scratch?: Buffer): Buffer {
    const buf = scratch && scratch.length >= to - from ? scratch.subarray(0, to - from) : Buffer.allocUnsafe(to - from);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  }
}
