import type { Config, HarnessConfig } from "../config/schema.ts";
import type { HarnessDescriptor } from "../harness/types.ts";
import type { LapsContext } from "../laps/index.ts";
import type { LogDirs } from "../state/data-dir.ts";
import type { RelayRecord, TryRecord } from "../state/schema.ts";
import type { Store } from "../state/store.ts";
import type { Clock } from "../sys/clock.ts";
import type { AttemptControl, StopReason } from "./attempt.ts";
import type { Verdict } from "./evaluate.ts";
import type { TickResult } from "../monitor/index.ts";
import type { TreeState } from "../git/tree.ts";

// Everything a relay run needs from the outside world, passed in so the engine can be driven by
// tests and by the CLI alike.

export interface HarnessRegistry {
  /** The descriptor for a canonical harness id or custom harness name. */
  resolve(name: string): HarnessDescriptor;
}

/** What the relay reports as it goes; the CLI renders it, tests record it. */
export interface RelayEvents {
  note(line: string): void;
  warn(line: string): void;
  relayStarted(info: { relay: RelayRecord; resumed: boolean; mixLabel: string }): void;
  runHeader(info: { index: number; target: number; harness: string; model: string; lane: string }): void;
  tryStarted(info: { tryId: number; runId: number; attempt: number; harness: string; model: string; logPath: string }): void;
  agentStarted?(info: { pid: number; logPath: string; stop: (reason: StopReason) => void; latest: () => TickResult | undefined }): void;
  tryEnded(info: { record: TryRecord; verdict: Verdict; workspace: string }): void | Promise<void>;
  waiting(info: { ms: number; reason: string }): void;
  paused?(): void;
  /** The freeze detector's view of the running try changed (slowing, frozen, active again). */
  agentState?(info: { state: "active" | "slowing" | "frozen"; reason: string }): void;
  /** `failed`: the message is an error the command reports itself; renderers print only the tally. */
  relayEnded(info: { relay: RelayRecord; tries: TryRecord[]; message: string; ok: boolean; failed: boolean; elapsedMs: number }): void;
}

/** Operator controls: graceful stop (finish the current try), quit now, skip the current runner. */
export interface RelayControl {
  stopRequested(): boolean;
  /** A fresh control for one attempt; aborted by skip, quit, or the relay shutting down. */
  attempt(): AttemptControl;
  /** Aborted when the relay must end now (quit); used to cut waits short. */
  signal: AbortSignal;
  /** After a pause (Ctrl+P): resolves when the operator asks to continue (Enter). */
  waitForResume(): Promise<void>;
}

export interface RelayContext {
  workspace: string;
  isRepo: boolean;
  config: Config;
  store: Store;
  relay: RelayRecord;
  logDirs: LogDirs;
  clock: Clock;
  env: Record<string, string | undefined>;
  instructions?: string;
  harnesses: HarnessRegistry;
  harnessConfig(name: string): HarnessConfig;
  events: RelayEvents;
  control: RelayControl;
  /** Append a line to the relay log. */
  log(line: string): void;
  /** Commits rally made in this relay (the only ones a state fold may amend). */
  ownCommits: Set<string>;
  /** The tree as rally left it after its own commit, so the next run need not ask git again. */
  knownTree: { state?: TreeState };
  /** Set when the relay is laps-backed: how to call `laps` for this workspace. */
  laps?: LapsContext;
}
