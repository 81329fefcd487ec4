import type { RelayEvents } from "../../relay/context.ts";
import { createOperatorControl, type OperatorControl } from "../../relay/control.ts";
import { attachKeyboard } from "./keyboard.ts";
import { plainRelayEvents } from "./relay-plain.ts";
import { ttyRelayEvents } from "./relay-tty.ts";
import { isTerminal } from "../stdio.ts";

// The relay's user interface: how progress is shown and how the operator steers. Signals are
// always wired (Ctrl+C / SIGTERM quit; a second one kills at once).

export interface RelayUi {
  events: RelayEvents;
  control: OperatorControl;
  /** Restore the terminal and remove handlers; safe to call twice. */
  dispose(): void;
}

export function createRelayUi(env: Record<string, string | undefined> = process.env): RelayUi {
  const control = createOperatorControl();
  const onSignal = (signal: NodeJS.Signals) => control.quit(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  const interactive = isTerminal(1) && isTerminal(0);
  if (!interactive) {
    return { events: plainRelayEvents(), control, dispose: () => removeSignals(onSignal) };
  }
  const view = ttyRelayEvents(!env.NO_COLOR);
  const detachKeys = attachKeyboard(control, {
    armed: (label) => view.flash(label),
    acted: (action) => view.flash(ACTED[action]),
  });
  let disposed = false;
  const restore = () => {
    if (disposed) return;
    disposed = true;
    detachKeys();
    view.dispose();
  };
  // The terminal is restored however the process ends.
  process.on("exit", restore);
  return {
    events: view.events,
    control,
    dispose() {
      restore();
      process.off("exit", restore);
      removeSignals(onSignal);
    },
  };
}

const ACTED = {
  skip: "skipping to the next runner…",
  pause: "pausing the agent…",
  stop: "stopping after this try",
  quit: "quitting: stopping the agent (Ctrl+C again kills it at once)",
} as const;

function removeSignals(handler: (signal: NodeJS.Signals) => void): void {
  process.off("SIGINT", handler);
  process.off("SIGTERM", handler);
  process.off("SIGHUP", handler);
}
