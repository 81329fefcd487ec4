import { describe, expect, test } from "bun:test";
import { chooseLane } from "./lane-select.ts";
import { startupRouteCheck } from "./startup.ts";
import { testConfig } from "./test-support.ts";

describe("chooseLane (spec 02 §5, cases 40–43)", () => {
  const lanes = ["default", "SENIOR"];
  test.each([
    [{ lanes, override: true, lapsMode: true, assignee: "SENIOR" }, { lane: "override", source: "override" }],
    [{ lanes, override: false, lapsMode: false, assignee: "SENIOR" }, { lane: "default", source: "default" }],
    [{ lanes, override: false, lapsMode: true, assignee: "  " }, { lane: "default", source: "default" }],
    [{ lanes, override: false, lapsMode: true, assignee: "senior" }, { lane: "SENIOR", source: "assignee" }],
    [
      { lanes, override: false, lapsMode: true, assignee: "ROLEX" },
      { lane: "default", source: "default", warning: 'routing: no route matched assignee "ROLEX"; falling back to default' },
    ],
  ])("%p", (req, choice) => {
    expect(chooseLane(req)).toEqual(choice as never);
  });
  test.each([
    [{ lanes: ["SENIOR"], override: false, lapsMode: false }, "routing: no-backend mode requires a default route"],
    [{ lanes: ["SENIOR"], override: false, lapsMode: true }, "routing: no default route is configured"],
    [{ lanes: ["ROLEA"], override: false, lapsMode: true, assignee: "ROLEB" }, 'routing: no route matched assignee "ROLEB" and no default route is configured'],
  ])("%p throws", (req, message) => {
    expect(() => chooseLane(req)).toThrow(message);
  });
});

describe("startupRouteCheck (spec 02 §4.3, cases 42, 47)", () => {
  test("no routes → nothing to do", () => {
    expect(startupRouteCheck(testConfig(), { lapsAvailable: false })).toEqual({ warnings: [], needsConfirm: false });
  });
  test("an invalid route among valid ones warns and needs confirmation", () => {
    const r = startupRouteCheck(testConfig({ routes: { default: ["cc"], BROKEN: ["claude:opus:4.7"] } }), { lapsAvailable: false });
    expect(r.fatal).toBeUndefined();
    expect(r.needsConfirm).toBe(true);
    expect(r.warnings[0]).toStartWith('route "BROKEN" is invalid and will be ignored: routing: route "BROKEN": entry "claude:opus:4.7" has 3 identifier segments');
  });
  test("every route invalid → the first error is fatal", () => {
    const r = startupRouteCheck(testConfig({ routes: { b: ["gm"], a: ["cc:0"] } }), { lapsAvailable: true });
    expect(r.fatal?.message).toBe('routing: route "a": entry "cc:0" has quota 0; must be positive');
  });
  test("no valid default: fatal without laps, a prompt with laps", () => {
    const config = testConfig({ routes: { SENIOR: ["cc"] } });
    const noLaps = startupRouteCheck(config, { lapsAvailable: false });
    expect(noLaps.warnings).toContain("no valid default route is configured; laps without a matching assignee will fail at run-time");
    expect(noLaps.fatal?.message).toBe("route startup validation failed: no valid default route is configured and no laps are available");
    expect(startupRouteCheck(config, { lapsAvailable: true })).toMatchObject({ needsConfirm: true });
  });
});
