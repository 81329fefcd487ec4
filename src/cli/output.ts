// The one place user-facing text is written. Results go to stdout; warnings, notices and
// prompts go to stderr so stdout stays clean for piping. Domain code never prints.

import { isTerminal, writeErr, writeOut } from "./stdio.ts";

export function say(line = ""): void {
  writeOut(line + "\n");
}

export function warn(message: string): void {
  writeErr(`warning: ${message}\n`);
}

export function note(line: string): void {
  writeErr(line + "\n");
}

/** Whether output to `fd` should get colour: a terminal, and neither NO_COLOR nor TERM=dumb asks otherwise. */
export function colourOn(fd = 1, env: Record<string, string | undefined> = process.env): boolean {
  return !env.NO_COLOR && env.TERM !== "dumb" && isTerminal(fd);
}
