import { describe, expect, test } from "bun:test";
import {
  formatDuration,
  formatTokens,
  HINT_TIERS,
  pickMarker,
  renderFooter,
  renderHintLine,
  renderStatusLine,
  statusFromTick,
  type StatusInput,
} from "./status-line.ts";
import { clipToWidth, displayWidth, stripSgr } from "./text-width.ts";

const plain = (width: number) => ({ width, color: false });
const busy: StatusInput = {
  elapsedMs: 192_000,
  files: 11,
  activityAgeMs: 45_000,
  logBytes: 48_000,
  retry: { attempt: 2, max: 5 },
  warning: "No I/O… (30s)",
  marker: "slowing",
};

describe("formatting", () => {
  test("durations: 45s, 3m12s, 1h02m", () => {
    expect([0, 999, 45_000, 59_999, 60_000, 192_000, 3_599_000, 3_720_000, 36_000_000].map(formatDuration)).toEqual([
      "0s", "0s", "45s", "59s", "1m00s", "3m12s", "59m59s", "1h02m", "10h00m",
    ]);
    expect(formatDuration(-5)).toBe("0s");
  });

  test("token estimate from log bytes, hidden before any output", () => {
    expect(formatTokens(undefined)).toBeUndefined();
    expect(formatTokens(0)).toBeUndefined();
    expect(formatTokens(3_999)).toBe("~999 tok");
    expect(formatTokens(48_000)).toBe("~12k tok");
    expect(formatTokens(7_000, 3.5)).toBe("~2k tok");
  });

  test("marker priority: stopping > frozen > recovered > slowing", () => {
    expect(pickMarker({ stopping: true, verdict: "frozen" })).toBe("stopping");
    expect(pickMarker({ verdict: "frozen", recovered: true })).toBe("frozen");
    expect(pickMarker({ verdict: "slowing", recovered: true })).toBe("recovered");
    expect(pickMarker({ verdict: "slowing" })).toBe("slowing");
    expect(pickMarker({ verdict: "active" })).toBeUndefined();
  });

  test("display width: emoji and CJK are 2 columns, SGR and joiners 0", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("📁")).toBe(2);
    expect(displayWidth("⏱ 5s")).toBe(5);
    expect(displayWidth("日本")).toBe(4);
    expect(displayWidth("\x1b[92m✓ ok\x1b[0m")).toBe(4);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(clipToWidth("📁📁📁", 4)).toBe("📁…");
    expect(clipToWidth("short", 10)).toBe("short");
  });
});

describe("status line", () => {
  test("120 columns: every field, spec separators", () => {
    expect(renderStatusLine(busy, plain(120))).toBe(
      "⏱ 3m12s  │  📁 11 files  │  last activity: 45s ago  │  retry 2/5  │  No I/O… (30s)  │  ~12k tok  │  ⚠ slowing",
    );
  });

  test("40 columns: fits in 39 cells and keeps the marker", () => {
    const line = renderStatusLine({ ...busy, marker: "frozen" }, plain(40));
    expect(line).toBe("⏱ 3m12s │ last: 45s ago │ ❄ frozen");
    expect(displayWidth(line)).toBeLessThanOrEqual(39);
  });

  test("never wider than width − 1, at any width", () => {
    for (let width = 1; width <= 130; width++) {
      for (const marker of [undefined, "stopping", "frozen", "slowing"] as const) {
        const line = renderStatusLine({ ...busy, marker, elapsedMs: 36_000_000 }, { width, color: true });
        expect(displayWidth(line)).toBeLessThanOrEqual(Math.max(1, width - 1));
      }
    }
  });

  test("quiet start: singular file, log missing, no token estimate", () => {
    expect(renderStatusLine({ elapsedMs: 0, files: 1 }, plain(120))).toBe("⏱ 0s  │  📁 1 file  │  last activity: —");
    expect(renderStatusLine({ elapsedMs: 5_000, files: 0, activityAgeMs: 2_000, logBytes: 0 }, plain(120))).toBe(
      "⏱ 5s  │  📁 0 files  │  last activity: 2s ago",
    );
  });

  test("activity age is capped at the elapsed time; retry shows only from attempt 2", () => {
    const line = renderStatusLine({ elapsedMs: 10_000, files: 2, activityAgeMs: 9e9, retry: { attempt: 1, max: 5 } }, plain(120));
    expect(line).toBe("⏱ 10s  │  📁 2 files  │  last activity: 10s ago");
  });

  test("colour only on the marker; plain variant has no escapes", () => {
    expect(renderStatusLine(busy, plain(120))).not.toContain("\x1b");
    const coloured = renderStatusLine(busy, { width: 120, color: true });
    expect(coloured).toContain("\x1b[93m⚠ slowing\x1b[0m");
    expect(stripSgr(coloured)).toBe(renderStatusLine(busy, plain(120)));
  });
});

describe("hint line", () => {
  test("tiers by width", () => {
    expect(HINT_TIERS.map(displayWidth)).toEqual([69, 40, 38, 11]);
    expect(renderHintLine(plain(120))).toBe("[Ctrl+S skip] [Ctrl+P pause] [Ctrl+X graceful stop] [Ctrl+C quit now]");
    expect(renderHintLine(plain(69))).toBe(HINT_TIERS[0]);
    expect(renderHintLine(plain(40))).toBe("[^S skip] [^P pause] [^X stop] [^C quit]");
    expect(renderHintLine(plain(39))).toBe("^S skip · ^P pause · ^X stop · ^C quit");
    expect(renderHintLine(plain(20))).toBe("^S·^P·^X·^C");
    expect(renderHintLine(plain(5))).toBe("^S·^P·^X·^C");
  });

  test("dim when coloured", () => {
    expect(renderHintLine({ width: 40, color: true })).toBe(`\x1b[38;5;245m${HINT_TIERS[1]}\x1b[0m`);
  });
});

describe("footer", () => {
  const passed = { outcome: "passed" as const, durationMs: 192_000, files: 3, commit: "abc1234def567", subject: "Add sampler" };

  test("passed at 120 columns: rules, outcome, duration, files, short commit and subject", () => {
    expect(renderFooter(passed, plain(120))).toEqual([
      "─".repeat(80),
      "✓ passed  │  3m12s  │  3 files  │  abc1234 (Add sampler)",
      "═".repeat(80),
    ]);
  });

  test("retried, failed, cancelled and no-commit variants", () => {
    const line = (f: Parameters<typeof renderFooter>[0]) => renderFooter(f, plain(120))[1];
    expect(line({ ...passed, attempt: 2, maxAttempts: 5 })).toStartWith("✓ passed on try 2/5  │");
    expect(line({ ...passed, commit: undefined })).toEndWith("│  —");
    expect(line({ ...passed, subject: undefined })).toEndWith("│  abc1234");
    expect(line({ outcome: "failed", durationMs: 4_000, files: 0, reason: "no changes made" })).toBe(
      "✗ failed  │  4s  │  0 files  │  no changes made",
    );
    expect(line({ outcome: "failed", attempt: 3, durationMs: 0, files: 1 })).toBe("✗ failed after 3 tries  │  0s  │  1 file  │  —");
    expect(line({ outcome: "cancelled", durationMs: 0, files: 0, source: "graceful_stop" })).toEndWith("source: graceful_stop");
  });

  test("40 columns: rules 40 wide, line clipped to 39 cells", () => {
    const [top, line, bottom] = renderFooter({ ...passed, subject: "A very long commit subject that cannot fit" }, plain(40));
    expect(top).toBe("─".repeat(40));
    expect(bottom).toBe("═".repeat(40));
    expect(line).toBe("✓ passed │ 3m12s │ 3 files │ abc1234 (…");
    expect(displayWidth(line ?? "")).toBeLessThanOrEqual(39);
  });

  test("coloured: green outcome, dim fields, unstyled separators", () => {
    const [, line] = renderFooter(passed, { width: 120, color: true });
    expect(line).toStartWith("\x1b[92m✓ passed\x1b[0m  │  \x1b[38;5;245m3m12s\x1b[0m");
    expect(stripSgr(line ?? "")).toBe(renderFooter(passed, plain(120))[1] ?? "");
  });
});

describe("statusFromTick", () => {
  const tick = {
    row: { ts: "2026-01-01T00:01:00Z", log_silent_s: 40, connections: 2, io_bytes: 0, syscall_bytes: 9 },
    verdict: { state: "slowing" as const, reason: "log silent 40s" },
    snapshot: { members: [1], connections: 2, io_bytes: 0, syscall_bytes: 9 },
    log: { size: 8_000, mtimeMs: 0 },
    warning: "No I/O… (30s)" as const,
    ambiguous: false,
  };

  test("feeds activity, tokens, warning and marker from the sampler", () => {
    const input = statusFromTick(tick, { elapsedMs: 60_000, files: 2 });
    expect(renderStatusLine(input, plain(120))).toBe(
      "⏱ 1m00s  │  📁 2 files  │  last activity: 40s ago  │  No I/O… (30s)  │  ~2k tok  │  ⚠ slowing",
    );
    expect(statusFromTick(tick, { elapsedMs: 60_000, files: 2, stopping: true }).marker).toBe("stopping");
    expect(statusFromTick(tick, { elapsedMs: 1, files: 0, charsPerToken: 0 }).logBytes).toBeUndefined();
  });

  test("before the first tick or without a log: `—`, no estimate, no marker", () => {
    expect(renderStatusLine(statusFromTick(undefined, { elapsedMs: 0, files: 0 }), plain(120))).toBe(
      "⏱ 0s  │  📁 0 files  │  last activity: —",
    );
    const noLog = statusFromTick({ ...tick, log: undefined }, { elapsedMs: 60_000, files: 0 });
    expect(noLog.activityAgeMs).toBeUndefined();
    expect(noLog.logBytes).toBeUndefined();
  });
});
