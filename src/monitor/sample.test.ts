import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FakeProcTree } from "../../tests/support/fake-proc.ts";
import { createProcFs, type ProcFs } from "../sys/procfs.ts";
import {
  countEstablished,
  createGroupScanner,
  logSilenceSeconds,
  NetstatRow,
  parseIo,
  parseStatPgid,
  ProcUnavailableError,
  rfc3339Seconds,
  socketInode,
} from "./sample.ts";

describe("parsers", () => {
  test("pgid is the 3rd field after the last ')', whatever the comm holds", () => {
    expect(parseStatPgid("10 (bash) S 1 77 77 0")).toBe(77);
    expect(parseStatPgid("10 (my agent) S 1 77 77 0")).toBe(77);
    expect(parseStatPgid("10 (a) b) (c) R 9 55 55 0")).toBe(55);
    expect(parseStatPgid("garbage")).toBeUndefined();
  });

  test("io counters", () => {
    expect(parseIo("rchar: 10\nwchar: 5\nsyscr: 1\nread_bytes: 4096\nwrite_bytes: 8192\n")).toEqual({
      rchar: 10,
      wchar: 5,
      read_bytes: 4096,
      write_bytes: 8192,
    });
    expect(parseIo("")).toEqual({ rchar: 0, wchar: 0, read_bytes: 0, write_bytes: 0 });
  });

  test("socket inodes only from socket:[N] links", () => {
    expect(socketInode("socket:[123]")).toBe("123");
    expect(socketInode("pipe:[123]")).toBeUndefined();
    expect(socketInode("/tmp/socket:[1]")).toBeUndefined();
    expect(socketInode("anon_inode:[eventfd]")).toBeUndefined();
  });

  test("established rows whose inode is ours, header skipped", () => {
    const table = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0 100 0 0 10 0",
      "   1: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 200 1 0 20 4 30 10 -1",
      "   2: 0100007F:9C41 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 300 1 0 20 4 30 10 -1",
      "   3: 0100007F:9C42 0100007F:1F90 06 00000000:00000000 00:00000000 00000000     0        0 201 1 0 20 4 30 10 -1",
    ].join("\n");
    expect(countEstablished(table, new Set(["100", "200", "201"]))).toBe(1);
    expect(countEstablished(table, new Set())).toBe(0);
  });

  test("ts is RFC3339 UTC seconds and the row schema is strict", () => {
    const ts = rfc3339Seconds(Date.parse("2026-01-01T00:00:05.789Z"));
    expect(ts).toBe("2026-01-01T00:00:05Z");
    const row = { ts, log_silent_s: 5, connections: 2, io_bytes: 4096, syscall_bytes: 123456 };
    expect(NetstatRow.parse(row)).toEqual(row);
    expect(NetstatRow.safeParse({ ...row, extra: 1 }).success).toBe(false);
    expect(NetstatRow.safeParse({ ...row, ts: "2026-01-01T00:00:05.789Z" }).success).toBe(false);
    expect(NetstatRow.safeParse({ ...row, connections: 1.5 }).success).toBe(false);
  });

  test("log silence rounds half up and never predates the start", () => {
    expect(logSilenceSeconds(10_500, 0, 0)).toBe(11);
    expect(logSilenceSeconds(10_499, 0, 0)).toBe(10);
    expect(logSilenceSeconds(10_000, undefined, 4_000)).toBe(6);
    expect(logSilenceSeconds(10_000, 1_000, 4_000)).toBe(6); // stale mtime clamps to start
    expect(logSilenceSeconds(10_000, 12_000, 0)).toBe(0);
  });
});

/** Counts reads per path so tests can assert per-tick work. */
function counting(fs: ProcFs): ProcFs & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    root: fs.root,
    reads,
    read(p) {
      reads.set(p, (reads.get(p) ?? 0) + 1);
      return fs.read(p);
    },
    list: (p) => fs.list(p),
    readlink: (p) => fs.readlink(p),
  };
}

function groupTree(): FakeProcTree {
  const tree = new FakeProcTree();
  tree.addProcess({ pid: 100, pgid: 100, comm: "node (main)", fds: { 0: "/dev/null", 5: "socket:[1001]" }, io: { rchar: 10, wchar: 20, read_bytes: 4096, write_bytes: 0 } });
  tree.addProcess({ pid: 101, pgid: 100, fds: { 3: "socket:[1002]", 4: "socket:[1003]", 7: "pipe:[9]" }, io: { rchar: 1000, wchar: 2000, read_bytes: 0, write_bytes: 8192 } });
  tree.addProcess({ pid: 102, pgid: 100, io: { rchar: 1, wchar: 1 } });
  tree.addProcess({ pid: 200, pgid: 200, fds: { 3: "socket:[2001]" }, io: { rchar: 1e9, wchar: 1e9 } });
  tree.setTcp([
    { inode: 1001, st: "01" },
    { inode: 1002, st: "0A" }, // listening: not a connection
    { inode: 2001, st: "01" }, // another group's
    { inode: 0, st: "06" },
  ]);
  tree.setTcp6([{ inode: 1003, st: "01" }]);
  return tree;
}

describe("createGroupScanner", () => {
  test("sums the whole process group and matches sockets in tcp and tcp6", () => {
    using tree = groupTree();
    const snap = createGroupScanner(createProcFs(tree.root)).scan(100);
    expect(snap.members.sort()).toEqual([100, 101, 102]);
    expect(snap.connections).toBe(2);
    expect(snap.io_bytes).toBe(4096 + 8192);
    expect(snap.syscall_bytes).toBe(10 + 20 + 1000 + 2000 + 2);
  });

  test("reads each tcp table once per tick, whatever the member count", () => {
    using tree = groupTree();
    const fs = counting(createProcFs(tree.root));
    const scanner = createGroupScanner(fs);
    scanner.scan(100);
    scanner.scan(100);
    expect(fs.reads.get("net/tcp")).toBe(2);
    expect(fs.reads.get("net/tcp6")).toBe(2);
  });

  test("no sockets: no tcp read, zero connections", () => {
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 7, pgid: 7, fds: { 1: "pipe:[1]" }, io: { rchar: 5 } });
    const fs = counting(createProcFs(tree.root));
    expect(createGroupScanner(fs).scan(7)).toEqual({ members: [7], connections: 0, io_bytes: 0, syscall_bytes: 5 });
    expect(fs.reads.get("net/tcp")).toBeUndefined();
  });

  test("an empty group is all zeros", () => {
    using tree = groupTree();
    expect(createGroupScanner(createProcFs(tree.root)).scan(555)).toEqual({ members: [], connections: 0, io_bytes: 0, syscall_bytes: 0 });
  });

  test("caches non-members but notices new members, exits and pgid changes", () => {
    using tree = groupTree();
    const fs = counting(createProcFs(tree.root));
    const scanner = createGroupScanner(fs, { fullRescanEvery: 3 });
    scanner.scan(100); // full
    tree.addProcess({ pid: 103, pgid: 100, fds: { 9: "socket:[1004]" } });
    tree.setTcp([{ inode: 1001, st: "01" }, { inode: 1004, st: "01" }]);
    tree.removeProcess(102);
    tree.addProcess({ pid: 101, pgid: 300 }); // left the group (setpgid)
    const snap = scanner.scan(100);
    expect(snap.members.sort()).toEqual([100, 103]);
    expect(snap.connections).toBe(2);
    expect(fs.reads.get("200/stat")).toBe(1); // a non-member is not re-read between full rescans
    scanner.scan(100);
    scanner.scan(100); // full again
    expect(fs.reads.get("200/stat")).toBe(2);
  });

  test("an unreadable /proc or net/tcp is a check error", () => {
    using tree = groupTree();
    expect(() => createGroupScanner(createProcFs(`${tree.root}/missing`)).scan(100)).toThrow(ProcUnavailableError);
    const fs = createProcFs(tree.root);
    const noTcp: ProcFs = { ...fs, read: (p) => (p === "net/tcp" ? undefined : fs.read(p)) };
    expect(() => createGroupScanner(noTcp).scan(100)).toThrow(ProcUnavailableError);
  });
});

describe("socket classification keeps tick cost down", () => {
  function tableReads(fs: ReturnType<typeof counting>) {
    return { tcp: fs.reads.get("net/tcp") ?? 0, tcp6: fs.reads.get("net/tcp6") ?? 0 };
  }

  test("IPv4-only sockets: tcp6 is read on the first tick only", () => {
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 5, pgid: 5, fds: { 3: "socket:[31]", 4: "socket:[32]" } });
    tree.setTcp([{ inode: 31, st: "01" }, { inode: 32, st: "08" }]);
    const fs = counting(createProcFs(tree.root));
    const scanner = createGroupScanner(fs);
    for (let i = 0; i < 3; i++) expect(scanner.scan(5).connections).toBe(1);
    expect(tableReads(fs)).toEqual({ tcp: 3, tcp6: 1 });
  });

  test("unix sockets only: the TCP tables are never read", () => {
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 5, pgid: 5, fds: { 3: "socket:[41]" } });
    writeFileSync(
      join(tree.root, "net", "unix"),
      "Num       RefCount Protocol Flags    Type St Inode Path\n0000000000000000: 00000003 00000000 00000000 0001 03 41 /run/x.sock\n",
    );
    const fs = counting(createProcFs(tree.root));
    const scanner = createGroupScanner(fs);
    for (let i = 0; i < 3; i++) expect(scanner.scan(5).connections).toBe(0);
    expect(tableReads(fs)).toEqual({ tcp: 0, tcp6: 0 });
  });

  test("a socket found nowhere yet (unconnected) keeps both tables in play until it shows up", () => {
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 5, pgid: 5, fds: { 3: "socket:[51]" } });
    const fs = counting(createProcFs(tree.root));
    const scanner = createGroupScanner(fs);
    expect(scanner.scan(5).connections).toBe(0);
    expect(scanner.scan(5).connections).toBe(0);
    tree.setTcp6([{ inode: 51, st: "01" }]);
    expect(scanner.scan(5).connections).toBe(1);
    expect(scanner.scan(5).connections).toBe(1);
    expect(tableReads(fs)).toEqual({ tcp: 3, tcp6: 4 });
  });

  test("a state change on a known socket is still seen (established → close-wait)", () => {
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 5, pgid: 5, fds: { 3: "socket:[61]" } });
    tree.setTcp([{ inode: 61, st: "01" }]);
    const scanner = createGroupScanner(createProcFs(tree.root));
    expect(scanner.scan(5).connections).toBe(1);
    tree.setTcp([{ inode: 61, st: "08" }]);
    expect(scanner.scan(5).connections).toBe(0);
  });
});

describe("file-watcher threads", () => {
  test("a file-watcher thread's reads are not the agent's I/O: its counters come off the process total", () => {
    using tree = new FakeProcTree();
    // codex's shape: tokio workers do the network I/O; notify-rs relays inotify events from
    // directories it watches, which any process starting on the machine can trigger.
    const codex = (watcherRchar: number, workerRchar: number) => ({
      pid: 9, pgid: 9, io: { rchar: 1000 + workerRchar + watcherRchar, wchar: 500 },
      threads: [
        { tid: 9, comm: "codex", io: { rchar: 1000, wchar: 500 } },
        { tid: 10, comm: "tokio-rt-worker", io: { rchar: workerRchar } },
        { tid: 11, comm: "notify-rs inoti", io: { rchar: watcherRchar } },
      ],
    });
    tree.addProcess(codex(0, 0));
    const scanner = createGroupScanner(createProcFs(tree.root));
    expect(scanner.scan(9).syscall_bytes).toBe(1500);
    tree.addProcess(codex(64_000, 0)); // a busy machine: only the watcher read anything
    expect(scanner.scan(9).syscall_bytes).toBe(1500);
    tree.addProcess(codex(64_000, 300)); // the agent's own work still counts
    expect(scanner.scan(9).syscall_bytes).toBe(1800);
  });

  test("a thread named after its first look is seen at the next full rescan", () => {
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 9, pgid: 9, io: { rchar: 100 }, threads: [{ tid: 11, comm: "codex", io: { rchar: 100 } }] });
    const scanner = createGroupScanner(createProcFs(tree.root), { fullRescanEvery: 3 });
    expect(scanner.scan(9).syscall_bytes).toBe(100);
    tree.setThread(9, { tid: 11, comm: "notify-rs inoti", io: { rchar: 100 } });
    expect(scanner.scan(9).syscall_bytes).toBe(100); // cached as an ordinary thread
    scanner.scan(9);
    expect(scanner.scan(9).syscall_bytes).toBe(0);
  });

  test("threads are listed once per member per tick; a name is read once per thread", () => {
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 9, pgid: 9, threads: [{ tid: 9, comm: "codex" }, { tid: 11, comm: "notify-rs inoti" }] });
    const fs = counting(createProcFs(tree.root));
    const scanner = createGroupScanner(fs);
    for (let i = 0; i < 5; i++) scanner.scan(9);
    expect(fs.reads.get("9/task/9/comm")).toBe(1);
    expect(fs.reads.get("9/task/11/comm")).toBe(1);
    expect(fs.reads.get("9/task/9/io")).toBeUndefined(); // only watcher threads' counters are read
    expect(fs.reads.get("9/task/11/io")).toBe(5);
  });
});
