import { describe, expect, test } from "bun:test";
import { testConfig } from "./test-support.ts";
import { validateRoutingConfig } from "./validate.ts";

describe("validateRoutingConfig (spec 01 §3.11, spec 02 §4.1)", () => {
  const rows: [string, Record<string, unknown>, string[]][] = [
    ["clean", { routes: { default: ["cc"] }, defaults: { mix: "cc cx" } }, []],
    ["route keys differ by case", { routes: { SENIOR: ["cc"], senior: ["cx"] } }, ['config: duplicate route keys "SENIOR" and "senior" differ only by case']],
    [
      "role name as an entry",
      { routes: { SENIOR: ["cc", "JUNIOR"], JUNIOR: ["cx"] } },
      ['config: route "SENIOR" references role name "JUNIOR" as an entry; role names are only valid in --agent, not in [routes]'],
    ],
    [
      "role name with a quota",
      { routes: { SENIOR: ["default:2"], default: ["cx"] } },
      ['config: route "SENIOR" references role name "default" as an entry; role names are only valid in --agent, not in [routes]'],
    ],
    ["unknown alias in mix", { defaults: { mix: "cc nope" } }, ['config: [defaults].mix: unknown agent alias "nope"']],
    ["mix gm", { defaults: { mix: "gm" } }, ['config: [defaults].mix: unknown agent alias "gm"; did you mean ge, ag, agy?']],
    [
      "weight on named model",
      { defaults: { mix: "cc:opus:2" } },
      ['config: [defaults].mix: invalid agent spec "cc:opus:2": weight-on-named-model (e.g. cc:opus:2) is not supported'],
    ],
    ["empty mix part", { defaults: { mix: "cc,," } }, ["config: empty value for [defaults].mix"]],
    ["reasoning empty key", { reasoning: { " ": "high" } }, ["config: [reasoning] contains an empty role key"]],
    ["reasoning case twins", { reasoning: { Verify: "high", verify: "low" } }, ['config: duplicate reasoning keys "Verify" and "verify" differ only by case']],
    ["provider conflict", { providers: { a: ["cx:gpt-5.5"], b: ["codex:gpt-5.5"] } }, ['config: runner codex:gpt-5.5 is claimed by providers "a" and "b"; a runner may belong to only one provider']],
  ];
  test.each(rows)("%s", (_, input, errors) => {
    const r = validateRoutingConfig(testConfig(input));
    // Messages are compared by prefix so an alias suggestion may follow.
    expect(r.errors.length).toBe(errors.length);
    r.errors.forEach((e, i) => expect(e).toStartWith(errors[i]!));
  });

  test("route entries are not resolved at load time", () => {
    expect(validateRoutingConfig(testConfig({ routes: { default: ["gm", "claude:opus:4.7"] } })).errors).toEqual([]);
  });

  test("a mix raw slug close to a named model is a note, not an error", () => {
    const r = validateRoutingConfig(testConfig({ harness: { cc: { models: { opus: "x" } } }, defaults: { mix: "cc:opux" } }));
    expect(r.errors).toEqual([]);
    expect(r.notes).toEqual([
      'config: [defaults].mix: model "opux" is not a named model for harness "claude"; using it as a raw model slug (did you mean opus?)',
    ]);
  });
});
