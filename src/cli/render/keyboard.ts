import type { OperatorControl } from "../../relay/control.ts";

// Keyboard controls while a relay runs in a terminal. Every action needs a double press within
// 4 s so a stray key never stops an agent; the first press only arms it and says so.

export const ARM_WINDOW_MS = 4000;

const KEYS: Record<number, { action: "skip" | "pause" | "stop" | "quit"; label: string }> = {
  0x13: { action: "skip", label: "Ctrl+S skips to the next runner" },
  0x10: { action: "pause", label: "Ctrl+P pauses the agent" },
  0x18: { action: "stop", label: "Ctrl+X stops after this try" },
  0x03: { action: "quit", label: "Ctrl+C quits now" },
};
const ENTER = new Set([0x0d, 0x0a]);

export interface KeyboardEvents {
  armed(label: string): void;
  acted(action: "skip" | "pause" | "stop" | "quit"): void;
}

/** Put the TTY in raw mode and route keys to the control; returns the restore function. */
export function attachKeyboard(control: OperatorControl, events: KeyboardEvents, now: () => number = Date.now): () => void {
  const stdin = process.stdin;
  if (!stdin.isTTY) return () => {};
  let armed: { key: number; at: number } | undefined;
  let quitting = false;
  const onData = (data: Buffer) => {
    for (const byte of data) {
      if (ENTER.has(byte)) {
        control.resume();
        continue;
      }
      const key = KEYS[byte];
      if (!key) continue;
      // Once quitting, another Ctrl+C escalates straight to SIGKILL.
      if (key.action === "quit" && quitting) {
        control.quit();
        continue;
      }
      if (!armed || armed.key !== byte || now() - armed.at > ARM_WINDOW_MS) {
        armed = { key: byte, at: now() };
        events.armed(`${key.label} — press again to confirm`);
        continue;
      }
      armed = undefined;
      if (key.action === "skip") control.skip();
      else if (key.action === "pause") control.pause();
      else if (key.action === "stop") control.gracefulStop();
      else {
        quitting = true;
        control.quit();
      }
      events.acted(key.action);
    }
  };
  stdin.setRawMode(true);
  stdin.resume();
  stdin.on("data", onData);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    stdin.off("data", onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
}
