// One sample of an agent's whole process group from /proc (spec 04 §6.2), plus the netstat row
// schema (§6.6). Pure parsing helpers are exported for tests; all reads go through a ProcFs.
import { z } from "../zod.ts";
import type { ProcFs } from "../sys/procfs.ts";
import { isWatcherThread } from "./watcher-threads.ts";

/** One line of `try-N.netstat.jsonl`, fields in this order. */
export const NetstatRow = z.strictObject({
  ts: z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, "RFC3339 UTC, whole seconds")),
  log_silent_s: z.number().check(z.nonnegative()),
  connections: z.number().check(z.int(), z.nonnegative()),
  io_bytes: z.number().check(z.int(), z.nonnegative()),
  syscall_bytes: z.number().check(z.int(), z.nonnegative()),
});
export type NetstatRow = z.infer<typeof NetstatRow>;

/** What /proc says about the group at one instant. */
export interface GroupSnapshot {
  members: number[];
  connections: number;
  /** read_bytes + write_bytes over members (block-device I/O). */
  io_bytes: number;
  /** rchar + wchar over members (every read/write syscall, sockets and pipes included). */
  syscall_bytes: number;
}

export const EMPTY_SNAPSHOT: GroupSnapshot = { members: [], connections: 0, io_bytes: 0, syscall_bytes: 0 };

/** `2026-01-01T00:00:05Z` for an epoch-ms instant. */
export function rfc3339Seconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * Process group id from a `/proc/<pid>/stat` line. The comm field is parenthesised and may contain
 * spaces or parentheses, so fields are counted after the LAST ')': state, ppid, pgrp, …
 */
export function parseStatPgid(stat: string): number | undefined {
  const close = stat.lastIndexOf(")");
  if (close < 0) return undefined;
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  const pgrp = Number(fields[2]);
  return Number.isInteger(pgrp) ? pgrp : undefined;
}

export interface IoCounters {
  rchar: number;
  wchar: number;
  read_bytes: number;
  write_bytes: number;
}

/** Parses `/proc/<pid>/io`; missing keys count as 0. */
export function parseIo(text: string): IoCounters {
  const out: IoCounters = { rchar: 0, wchar: 0, read_bytes: 0, write_bytes: 0 };
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    if (key in out) {
      const n = Number(line.slice(colon + 1).trim());
      if (Number.isFinite(n)) out[key as keyof IoCounters] = n;
    }
  }
  return out;
}

/** The inode of an fd link `socket:[12345]`, or undefined for anything else. */
export function socketInode(link: string): string | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m?.[1];
}

/** Field index of the inode column in each /proc/net table rally reads. */
const INODE_FIELD = { tcp: 9, tcp6: 9, unix: 6, udp: 9, udp6: 9, netlink: 9 } as const;
type NetTable = keyof typeof INODE_FIELD;

/**
 * Walks a /proc/net table (header skipped) and calls `hit(inode, state)` for rows whose inode is
 * in `inodes`; `state` is the 4th field (`st`, "01" = ESTABLISHED for tcp).
 */
export function scanNetTable(
  table: string,
  kind: NetTable,
  inodes: ReadonlySet<string>,
  hit: (inode: string, state: string | undefined) => void,
): void {
  const at = INODE_FIELD[kind];
  const lines = table.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const f = line.trim().split(/\s+/);
    const inode = f[at];
    if (inode !== undefined && inodes.has(inode)) hit(inode, f[3]);
  }
}

/** Rows of a /proc/net/tcp{,6} table in state 01 (ESTABLISHED) whose inode is in `inodes`. */
export function countEstablished(table: string, inodes: ReadonlySet<string>): number {
  let count = 0;
  if (inodes.size > 0) scanNetTable(table, "tcp", inodes, (_, st) => st === "01" && count++);
  return count;
}

export interface GroupScannerOptions {
  /** Re-read every pid's stat this often (ticks); in between only new pids are read. Default 30. */
  fullRescanEvery?: number;
}

/** Thrown when /proc itself cannot be listed: a check error, not an empty group. */
export class ProcUnavailableError extends Error {
  override readonly name = "ProcUnavailableError";
}

/**
 * Group membership by pgid (the 5th stat field), not a parent/child walk. To keep a tick cheap on
 * busy hosts the pid → pgid map is cached: each call lists /proc once, reads stat only for pids
 * not seen before (and re-checks current members), and re-reads every pid each `fullEvery` calls
 * to catch setpgid and pid reuse.
 */
function createMembership(procfs: ProcFs, fullEvery: number) {
  const pgidOf = new Map<number, number | undefined>();
  let calls = 0;
  return function members(pgid: number): number[] {
    const entries = procfs.list("");
    if (!entries) throw new ProcUnavailableError(`cannot list ${procfs.root}`);
    const full = calls++ % fullEvery === 0;
    const alive = new Set<number>();
    const found: number[] = [];
    for (const name of entries) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      alive.add(pid);
      let g = pgidOf.get(pid);
      if (full || !pgidOf.has(pid) || g === pgid) {
        const stat = procfs.read(`${pid}/stat`);
        g = stat === undefined ? undefined : parseStatPgid(stat);
        pgidOf.set(pid, g);
      }
      if (g === pgid) found.push(pid);
    }
    for (const pid of pgidOf.keys()) if (!alive.has(pid)) pgidOf.delete(pid);
    return found;
  };
}

/**
 * Established-connection counting. Every read of net/tcp{,6} walks the kernel's whole TCP hash
 * (~1–2 ms on a large host), so each socket inode is classified once (tcp, tcp6, or other:
 * unix/udp/netlink, all cheap tables) and a tick reads only the TCP tables that hold one of the
 * group's sockets, each at most once. Inodes found nowhere yet (e.g. a TCP socket not yet
 * connected) keep both tables in play.
 */
function createConnectionCounter(procfs: ProcFs) {
  const family = new Map<string, "tcp" | "tcp6" | "other">();

  function classifyOthers(inodes: Set<string>): void {
    let unknown = new Set([...inodes].filter((i) => !family.has(i)));
    for (const table of ["unix", "udp", "udp6", "netlink"] as const) {
      if (unknown.size === 0) return;
      scanNetTable(procfs.read(`net/${table}`) ?? "", table, unknown, (ino) => family.set(ino, "other"));
      unknown = new Set([...unknown].filter((i) => !family.has(i)));
    }
  }

  return function countConnections(inodes: Set<string>): number {
    for (const ino of family.keys()) if (!inodes.has(ino)) family.delete(ino);
    if (inodes.size === 0) return 0;
    classifyOthers(inodes);
    const need = { tcp: false, tcp6: false };
    for (const ino of inodes) {
      const f = family.get(ino);
      if (f === undefined) need.tcp = need.tcp6 = true;
      else if (f !== "other") need[f] = true;
    }
    let count = 0;
    for (const table of ["tcp", "tcp6"] as const) {
      if (!need[table]) continue;
      const text = procfs.read(`net/${table}`);
      if (text === undefined && table === "tcp") throw new ProcUnavailableError(`cannot read ${procfs.root}/net/tcp`);
      scanNetTable(text ?? "", table, inodes, (ino, st) => {
        family.set(ino, table);
        if (st === "01") count++;
      });
    }
    return count;
  };
}

/**
 * The syscall bytes of a process's file-watcher threads (see watcher-threads.ts), which come off
 * its total. Threads are listed every tick (new ones appear at any time) but each thread's name is
 * read once, and again every `fullEvery` calls, since a thread may name itself after it starts.
 * Only watcher threads' counters are read.
 */
function createWatcherBytes(procfs: ProcFs, fullEvery: number) {
  const watcherOf = new Map<number, Map<string, boolean>>();
  let calls = 0;
  return {
    /** Call once per tick with the tick's members, before watcherBytes. */
    startTick(pids: number[]): void {
      const full = calls++ % fullEvery === 0;
      const live = new Set(pids);
      for (const pid of watcherOf.keys()) if (full || !live.has(pid)) watcherOf.delete(pid);
    },
    watcherBytes(pid: number): number {
      const tids = procfs.list(`${pid}/task`);
      if (!tids) return 0;
      let known = watcherOf.get(pid);
      if (!known) watcherOf.set(pid, (known = new Map()));
      let bytes = 0;
      for (const tid of tids) {
        let watcher = known.get(tid);
        if (watcher === undefined) {
          watcher = isWatcherThread(procfs.read(`${pid}/task/${tid}/comm`)?.trim() ?? "");
          known.set(tid, watcher);
        }
        if (!watcher) continue;
        const io = procfs.read(`${pid}/task/${tid}/io`);
        if (io !== undefined) {
          const c = parseIo(io);
          bytes += c.rchar + c.wchar;
        }
      }
      if (known.size > tids.length) for (const tid of known.keys()) if (!tids.includes(tid)) known.delete(tid);
      return bytes;
    },
  };
}

/** A stateful scanner for one process group: members, their sockets and I/O counters. */
export function createGroupScanner(procfs: ProcFs, opts: GroupScannerOptions = {}) {
  const fullEvery = Math.max(1, opts.fullRescanEvery ?? 30);
  const members = createMembership(procfs, fullEvery);
  const countConnections = createConnectionCounter(procfs);
  const watchers = createWatcherBytes(procfs, fullEvery);

  function scan(pgid: number): GroupSnapshot {
    const pids = members(pgid);
    watchers.startTick(pids);
    const inodes = new Set<string>();
    let io_bytes = 0;
    let syscall_bytes = 0;
    for (const pid of pids) {
      const io = procfs.read(`${pid}/io`);
      if (io !== undefined) {
        const c = parseIo(io);
        io_bytes += c.read_bytes + c.write_bytes;
        syscall_bytes += Math.max(0, c.rchar + c.wchar - watchers.watcherBytes(pid));
      }
      for (const fd of procfs.list(`${pid}/fd`) ?? []) {
        const link = procfs.readlink(`${pid}/fd/${fd}`);
        const inode = link === undefined ? undefined : socketInode(link);
        if (inode !== undefined) inodes.add(inode);
      }
    }
    return { members: pids, connections: countConnections(inodes), io_bytes, syscall_bytes };
  }

  return { scan };
}
export type GroupScanner = ReturnType<typeof createGroupScanner>;

/** Log silence in whole seconds (half rounds up), measured from the later of mtime and `sinceMs`. */
export function logSilenceSeconds(nowMs: number, lastGrowthMs: number | undefined, sinceMs: number): number {
  const from = Math.max(lastGrowthMs ?? sinceMs, sinceMs);
  return Math.max(0, Math.round((nowMs - from) / 1000));
}
