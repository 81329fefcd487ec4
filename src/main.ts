#!/usr/bin/env bun
// Entry point: the only place that exits. `version` skips every import it does not need so it
// stays as fast as an empty program.

const argv = process.argv.slice(2);
const first = argv[0];
if (argv.length === 1 && (first === "version" || first === "--version" || first === "-v")) {
  const [{ displayVersion }, { writeOut }] = await Promise.all([import("./version.ts"), import("./cli/stdio.ts")]);
  writeOut(`rally ${displayVersion()}\n`);
  process.exit(0);
}
const { runCli } = await import("./cli/run.ts");
process.exit(await runCli(argv, process.env));

export {};
