// Threads whose reads are file-system notifications, not an agent's work. Some agent CLIs watch
// directories with inotify from a thread of their own (codex watches its config directories,
// /etc among them), so on a busy machine every process that starts (opening /etc/ld.so.cache)
// shows up as reads in the agent's counters. The connected-frozen verdict waits for the agent's
// syscall I/O to go quiet; counted, these reads keep a hung agent looking busy for as long as
// anything else on the machine runs. The group scanner leaves such threads' counters out.
//
// Matched on the thread name (`/proc/<pid>/task/<tid>/comm`, cut by the kernel to 15 bytes).

export interface WatcherThreadPattern {
  pattern: RegExp;
  /** Who names threads this way. */
  source: string;
  /** Names (as comm shows them) that must match, and names that must not. */
  hits: string[];
  misses: string[];
}

export const WATCHER_THREADS: WatcherThreadPattern[] = [
  {
    pattern: /^notify-rs /,
    source: "Rust `notify` crate: the inotify event loop, and its debouncer (codex)",
    hits: ["notify-rs inoti", "notify-rs debou"],
    misses: ["tokio-rt-worker", "codex-main", "codex", "notify", "sqlx-sqlite-wor"],
  },
];

export function isWatcherThread(comm: string): boolean {
  return WATCHER_THREADS.some((w) => w.pattern.test(comm));
}
