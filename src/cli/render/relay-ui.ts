import type { RelayEvents } from "../../relay/context.ts";
import { createOperatorControl, type OperatorControl } from "../../relay/control.ts";
import { plainRelayEvents } from "./relay-plain.ts";

// The relay's user interface: how progress is shown and how the operator steers. Signals are
// always wired (Ctrl+C / SIGTERM quit; a second one kills at once).

export interface RelayUi {
  events: RelayEvents;
  control: OperatorControl;
  /** Restore the terminal and remove handlers; safe to call twice. */
  dispose(): void;
}

export function createRelayUi(): RelayUi {
  const control = createOperatorControl();
  const onSignal = () => control.quit();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    events: plainRelayEvents(),
    control,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
