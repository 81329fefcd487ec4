// Builds a small synthetic /proc tree in a temp directory, for ProcFs-based tests.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FakeProc {
  pid: number;
  pgid: number;
  comm?: string;
  /** fd number → link target, e.g. { 3: "socket:[123]", 4: "/dev/null" } */
  fds?: Record<number, string>;
  io?: { rchar?: number; wchar?: number; read_bytes?: number; write_bytes?: number };
  /** Threads under task/ (name and own counters); the process's io above already includes theirs. */
  threads?: FakeThread[];
}

export interface FakeThread {
  tid: number;
  comm: string;
  io?: FakeProc["io"];
}

export interface TcpRow {
  inode: number | string;
  /** Two hex digits; "01" = ESTABLISHED, "0A" = LISTEN, "06" = TIME_WAIT. */
  st: string;
}

const HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

export function tcpTable(rows: TcpRow[]): string {
  const lines = rows.map(
    (r, i) =>
      `   ${i}: 0100007F:9C40 0100007F:1F90 ${r.st} 00000000:00000000 00:00000000 00000000     0        0 ${r.inode} 1 0000000000000000 20 4 30 10 -1`,
  );
  return `${[HEADER, ...lines].join("\n")}\n`;
}

export function statLine(p: FakeProc): string {
  return `${p.pid} (${p.comm ?? "agent"}) S 1 ${p.pgid} ${p.pgid} 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n`;
}

export function ioText(io: FakeProc["io"] = {}): string {
  return [
    `rchar: ${io.rchar ?? 0}`,
    `wchar: ${io.wchar ?? 0}`,
    "syscr: 1",
    "syscw: 1",
    `read_bytes: ${io.read_bytes ?? 0}`,
    `write_bytes: ${io.write_bytes ?? 0}`,
    "cancelled_write_bytes: 0",
    "",
  ].join("\n");
}

/** A temp directory shaped like /proc; rewrite any part between ticks. */
export class FakeProcTree {
  readonly root = mkdtempSync(join(tmpdir(), "rally-fakeproc-"));

  constructor() {
    mkdirSync(join(this.root, "net"));
    this.setTcp([]);
    this.setTcp6([]);
    mkdirSync(join(this.root, "self"));
  }

  addProcess(p: FakeProc): void {
    const dir = join(this.root, String(p.pid));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, "fd"), { recursive: true });
    writeFileSync(join(dir, "stat"), statLine(p));
    writeFileSync(join(dir, "io"), ioText(p.io));
    for (const [fd, target] of Object.entries(p.fds ?? {})) symlinkSync(target, join(dir, "fd", fd));
    for (const t of p.threads ?? []) this.setThread(p.pid, t);
  }

  setThread(pid: number, t: FakeThread): void {
    const dir = join(this.root, String(pid), "task", String(t.tid));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "comm"), `${t.comm}\n`);
    writeFileSync(join(dir, "io"), ioText(t.io));
  }

  removeThread(pid: number, tid: number): void {
    rmSync(join(this.root, String(pid), "task", String(tid)), { recursive: true, force: true });
  }

  setIo(pid: number, io: FakeProc["io"]): void {
    writeFileSync(join(this.root, String(pid), "io"), ioText(io));
  }

  removeProcess(pid: number): void {
    rmSync(join(this.root, String(pid)), { recursive: true, force: true });
  }

  setTcp(rows: TcpRow[]): void {
    writeFileSync(join(this.root, "net", "tcp"), tcpTable(rows));
  }

  setTcp6(rows: TcpRow[]): void {
    writeFileSync(join(this.root, "net", "tcp6"), tcpTable(rows));
  }

  [Symbol.dispose](): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
