import { constants } from "node:os";
import type { AttemptControl, StopReason } from "./attempt.ts";
import type { RelayControl } from "./context.ts";

// Operator controls shared by signals (Ctrl+C, SIGTERM) and, later, the keyboard monitor.
// quit: stop the agent (SIGINT, drain, SIGKILL) and end the relay; a second quit kills at once.
// graceful stop: let the current try finish, then end. skip: end this try, move to the next runner.

export interface OperatorControl extends RelayControl {
  /** `signal`: the signal that asked to quit; none for Ctrl+C typed at the keyboard monitor. */
  quit(signal?: NodeJS.Signals): void;
  gracefulStop(): void;
  skip(): void;
  pause(): void;
  /** Continue after a pause. */
  resume(): void;
  readonly quitCount: number;
  /**
   * Exit status of a quit relay: 128 + the first quitting signal's number (spec 06 §6.3: SIGTERM
   * 143, SIGHUP 129), and 130 when the quit came from the keyboard, as Ctrl+C's SIGINT would give.
   */
  readonly quitExitCode: number;
}

const SIGINT_EXIT = 128 + constants.signals.SIGINT;

export function createOperatorControl(): OperatorControl {
  const relayAbort = new AbortController();
  const killAll = new AbortController();
  let stop = false;
  let quits = 0;
  let quitExitCode = SIGINT_EXIT;
  let current: { abort: AbortController; reason?: StopReason } | undefined;
  let resumeWaiter: (() => void) | undefined;
  const endAttempt = (reason: StopReason) => {
    if (!current || current.abort.signal.aborted) return;
    current.reason = reason;
    current.abort.abort();
  };
  return {
    signal: relayAbort.signal,
    get quitCount() {
      return quits;
    },
    get quitExitCode() {
      return quitExitCode;
    },
    stopRequested: () => stop,
    attempt(): AttemptControl {
      const entry: { abort: AbortController; reason?: StopReason } = { abort: new AbortController() };
      current = entry;
      if (relayAbort.signal.aborted) {
        entry.reason = "quit_now";
        entry.abort.abort();
      }
      return { signal: entry.abort.signal, killSignal: killAll.signal, reason: () => entry.reason };
    },
    quit(signal) {
      quits++;
      if (quits === 1 && signal) quitExitCode = 128 + (constants.signals[signal] ?? constants.signals.SIGINT);
      stop = true;
      if (quits > 1) killAll.abort();
      endAttempt("quit_now");
      relayAbort.abort();
    },
    gracefulStop() {
      stop = true;
    },
    skip() {
      endAttempt("skip");
    },
    pause() {
      endAttempt("pause");
    },
    resume() {
      resumeWaiter?.();
      resumeWaiter = undefined;
    },
    waitForResume() {
      if (relayAbort.signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        resumeWaiter = resolve;
        relayAbort.signal.addEventListener("abort", () => resolve(), { once: true });
      });
    },
  };
}
