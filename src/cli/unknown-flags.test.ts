import { describe, expect, test } from "bun:test";
import type { ArgsDef } from "citty";
import { formatUserError, isRallyError } from "../errors.ts";
import { checkFlags, collectFlagValues } from "./unknown-flags.ts";

// The shape of `rally relay`'s arguments, plus a camelCase string flag like progress's --record-lap.
const ARGS: ArgsDef = {
  iterations: { type: "string", alias: "i" },
  agent: { type: "string", alias: "a" },
  recordLap: { type: "string" },
  new: { type: "boolean" },
  follow: { type: "boolean", alias: "f" },
};

/** The one line the user would see, or "" when the arguments pass. */
function problem(rawArgs: string[]): string {
  try {
    checkFlags(rawArgs, ARGS, "relay");
    return "";
  } catch (err) {
    if (!isRallyError(err)) throw err;
    return formatUserError(err);
  }
}

describe("checkFlags", () => {
  test.each([
    [[]],
    [["fix", "the", "bug"]],
    [["-i", "3", "--agent", "cc", "--agent=cx", "-a", "op"]],
    [["--record-lap", "L1", "--recordLap=L2"]],
    [["--new", "--no-new", "-f", "--new=true", "--new=false"]],
    [["--agent", "- not a flag"]],
    [["-i", "1", "--", "--agent", "--bogus"]],
  ])("accepts %j", (rawArgs) => {
    expect(problem(rawArgs)).toBe("");
  });

  test.each([
    [["--agent"], "error: --agent needs a value (pass --agent <value>)"],
    [["-a"], "error: -a needs a value (pass -a <value>)"],
    [["-i", "1", "x", "--agent"], "error: --agent needs a value (pass --agent <value>)"],
    [["--iterations"], "error: --iterations needs a value (pass --iterations <value>)"],
    [["--iterations="], "error: --iterations needs a value (pass --iterations <value>)"],
    [["--iterations", ""], "error: --iterations needs a value (pass --iterations <value>)"],
    [["--record-lap"], "error: --record-lap needs a value (pass --record-lap <value>)"],
    [["--iterations", "--new"], 'error: --iterations needs a value (pass --iterations <value>, or --iterations=<value> when the value starts with "-")'],
    [["-i", "-5"], 'error: -i needs a value (pass -i <value>, or -i=<value> when the value starts with "-")'],
    [["--agent", "--"], 'error: --agent needs a value (pass --agent <value>, or --agent=<value> when the value starts with "-")'],
  ])("a value flag without its value: %j", (rawArgs, line) => {
    expect(problem(rawArgs)).toBe(line);
  });

  test.each([
    [["--new=maybe"], 'error: --new takes no value, got "--new=maybe" (write --new on its own)'],
    [["--new="], 'error: --new takes no value, got "--new=" (write --new on its own)'],
    [["--no-new=false"], 'error: --no-new takes no value, got "--no-new=false" (write --no-new on its own)'],
    [["-f=false"], 'error: -f takes no value, got "-f=false" (write -f on its own)'],
  ])("a switch given a value citty would misread: %j", (rawArgs, line) => {
    expect(problem(rawArgs)).toBe(line);
  });

  test.each([
    [["--itrations", "2"], "error: unknown flag: --itrations (did you mean --iterations?)"],
    [["--agnet", "cc"], "error: unknown flag: --agnet (did you mean --agent?)"],
    [["--recordlap", "x"], "error: unknown flag: --recordlap (did you mean --record-lap?)"],
    [["-itrations", "2"], "error: unknown flag: -itrations (did you mean --iterations?)"],
    [["--force"], "error: unknown flag: --force (run `rally relay --help` for usage)"],
    [["-x"], "error: unknown flag: -x (run `rally relay --help` for usage)"],
  ])("an unknown flag: %j", (rawArgs, line) => {
    expect(problem(rawArgs)).toBe(line);
  });
});

describe("the arguments citty is given", () => {
  test("a short value flag written with = becomes its long form, so citty reads the value without the =", () => {
    expect(checkFlags(["-i=5", "-a=cc", "-a", "cx", "t", "-i=-2", "--", "-i=9"], ARGS, "relay")).toEqual(
      ["--iterations=5", "--agent=cc", "-a", "cx", "t", "--iterations=-2", "--", "-i=9"],
    );
  });

  test("everything else is passed on as written", () => {
    const rawArgs = ["--agent", "cc", "--agent=cx", "-f", "--new=false", "--recordLap=L"];
    expect(checkFlags(rawArgs, ARGS, "relay")).toEqual(rawArgs);
  });
});

describe("collectFlagValues", () => {
  test("every spelling, in order, up to --", () => {
    expect(collectFlagValues(["--agent", "a", "x", "--agent=b", "-a", "c", "--", "--agent", "d"], ["--agent", "-a"])).toEqual(["a", "b", "c"]);
  });

  test("a trailing flag without its value is an error, not dropped", () => {
    expect(() => collectFlagValues(["-i", "1", "--agent"], ["--agent", "-a"])).toThrow("--agent needs a value");
    expect(() => collectFlagValues(["-a"], ["--agent", "-a"])).toThrow("-a needs a value");
  });
});
