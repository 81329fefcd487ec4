import type { RelayEvents } from "../../relay/context.ts";
import { renderFooter, renderHintLine, renderStatusLine, statusFromTick, type TickResult } from "../../monitor/index.ts";
import { changedPathCount } from "../../git/tree.ts";
import { plainRelayEvents, tally } from "./relay-plain.ts";
import { writeErr, writeOut } from "../stdio.ts";

// The live view of a relay in a terminal: the try header, a status line redrawn every second
// under it (clipped to the width, never wrapping), a footer per try, and the key hints.

const CLEAR_LINE = "\r\x1b[2K";
const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";

export interface TtyView {
  events: RelayEvents;
  /** A transient message in the status area (armed keys, pause notices). */
  flash(text: string): void;
  dispose(): void;
}

export function ttyRelayEvents(color: boolean): TtyView {
  // process.stdout only for the width: every write goes through writeOut, in order with the rest.
  const out = { write: writeOut };
  const width = () => process.stdout.columns || 80;
  const opts = () => ({ width: width(), color });
  const plain = plainRelayEvents();
  let live: { started: number; latest: () => TickResult | undefined; state?: "active" | "slowing" | "frozen"; stopping?: boolean } | undefined;
  let flashText: { text: string; until: number } | undefined;
  let statusShown = false;
  let files = 0;
  // The changed-file count comes from git, refreshed off the render path.
  const countFiles = () => {
    if (live) void changedPathCount(process.cwd()).then((n) => (files = n));
  };
  const fileTimer = setInterval(countFiles, 2000);

  const clearStatus = () => {
    if (statusShown) out.write(CLEAR_LINE);
    statusShown = false;
  };
  const drawStatus = () => {
    if (!live) return;
    const tick = live.latest();
    const line = flashText && Date.now() < flashText.until
      ? flashText.text.slice(0, Math.max(1, width() - 1))
      : renderStatusLine(statusFromTick(tick, { elapsedMs: Date.now() - live.started, files, stopping: live.stopping }), opts());
    out.write(CLEAR_LINE + line);
    statusShown = true;
  };
  const timer = setInterval(drawStatus, 1000);
  out.write(HIDE_CURSOR);

  const events: RelayEvents = {
    ...plain,
    note: (line) => {
      clearStatus();
      plain.note(line);
    },
    warn: (line) => {
      clearStatus();
      plain.warn(line);
    },
    relayStarted: (info) => {
      plain.relayStarted(info);
      out.write(renderHintLine(opts()) + "\n");
    },
    runHeader: ({ index, target, harness, model }) => {
      clearStatus();
      out.write(`\n[${index}/${target}] ${harness}${model ? ` ${model}` : ""}\n`);
    },
    tryStarted: ({ attempt, tryId }) => {
      clearStatus();
      if (attempt > 1) out.write(`  retry: attempt ${attempt} (try ${tryId})\n`);
    },
    agentStarted: ({ latest }) => {
      live = { started: Date.now(), latest };
      files = 0;
      drawStatus();
    },
    agentState: ({ state }) => {
      if (live) live.state = state;
    },
    tryEnded: ({ record, verdict }) => {
      live = undefined;
      clearStatus();
      const outcome = verdict.cancellation ? "cancelled" : record.completed ? "passed" : "failed";
      const lines = renderFooter(
        {
          outcome, attempt: record.attempt_number, durationMs: record.runtime_ms ?? 0, files: record.files_changed?.length ?? 0,
          commit: record.commit_hash || undefined, reason: record.fail_reason, source: record.cancellation_source,
        },
        opts(),
      );
      out.write(lines.join("\n") + "\n");
    },
    waiting: (info) => {
      clearStatus();
      plain.waiting(info);
    },
    paused: () => {
      clearStatus();
      out.write("Paused — press Enter to resume\n");
    },
    relayEnded: ({ tries, message, ok, failed, elapsedMs }) => {
      clearStatus();
      if (tries.length) out.write(`\n${tally(tries, elapsedMs)}\n`);
      if (message && !failed) (ok ? writeOut : writeErr)(message + "\n");
    },
  };
  return {
    events,
    flash(text) {
      flashText = { text, until: Date.now() + 4000 };
      if (live) drawStatus();
      else writeErr(text + "\n");
    },
    dispose() {
      clearInterval(timer);
      clearInterval(fileTimer);
      clearStatus();
      out.write(SHOW_CURSOR);
    },
  };
}
