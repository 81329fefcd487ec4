// The one place user-facing text is written. Results go to stdout; warnings, notices and
// prompts go to stderr so stdout stays clean for piping. Domain code never prints.

export function say(line = ""): void {
  process.stdout.write(line + "\n");
}

export function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

export function note(line: string): void {
  process.stderr.write(line + "\n");
}

/** Whether `stream` should get colour: a terminal, and neither NO_COLOR nor TERM=dumb asks otherwise. */
export function colourOn(stream: { isTTY?: boolean } = process.stdout, env: Record<string, string | undefined> = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
}
