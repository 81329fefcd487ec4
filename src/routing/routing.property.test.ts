import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { isRallyError } from "../errors.ts";
import { parseEntry, formatEntry } from "./entry.ts";
import { buildProviderIndex } from "./providers.ts";
import { resolveAgent } from "./resolve-agent.ts";
import { buildRoster } from "./roster.ts";
import { createRouter } from "./router.ts";
import { routesCheckReport } from "./routes-check.ts";
import { startupRouteCheck } from "./startup.ts";
import { T0, testConfig } from "./test-support.ts";
import { validateRoutingConfig } from "./validate.ts";

// Random configs and spec strings: every routing entry point either works or throws a RallyError.

const alias = fc.constantFrom("cc", "claude", "cx", "codex", "op", "opencode", "ge", "ag", "agy", "mycode", "gm", "CC", "");
const modelName = fc.constantFrom("opus", "z", "gk", "mini", "opux", "g55-xh");
const rawModel = fc.constantFrom("a/b", "gpt-5.5", "claude-haiku-4-5", "Gemini 3.5 Flash (High)", "-1", "");
const quota = fc.constantFrom("", ":1", ":2", ":0", ":1-3", ":3-1", ":x", ":99999999999999999999");
const entry = fc
  .tuple(alias, fc.option(fc.oneof(modelName, rawModel, fc.constantFrom("default", "SENIOR"))), quota)
  .map(([a, m, q]) => `${a}${m === null ? "" : `:${m}`}${q}`);
const roleName = fc.constantFrom("default", "Default", "senior", "SENIOR", "ui", "x");

const configInput = fc.record({
  defaults: fc.record({
    mix: fc.array(entry, { maxLength: 3 }).map((xs) => xs.join(" ")),
    claude_model: fc.constantFrom("", "m1"),
    codex_model: fc.constantFrom("", "gpt-5.5"),
  }),
  harness: fc.dictionary(
    fc.constantFrom("cc", "op", "claude", "cx", "mycode"),
    fc.record({ models: fc.dictionary(modelName, fc.constantFrom("m/one", "gpt-5.5", "m2")) }),
    { maxKeys: 3 },
  ),
  routes: fc.dictionary(roleName, fc.array(entry, { maxLength: 3 }), { maxKeys: 3 }),
  reasoning: fc.dictionary(roleName, fc.oneof(fc.constantFrom("high", "cx:g55-xh", "op:", "turbo", ""), modelName), { maxKeys: 2 }),
  providers: fc.dictionary(
    fc.constantFrom("p", "P", "q"),
    fc.array(fc.oneof(entry, fc.constantFrom("codex:*", "*/x", "op:a/*", "x*y", "g55-xh")), { minLength: 1, maxLength: 2 }),
    { maxKeys: 2 },
  ),
});

function onlyRallyErrors(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!isRallyError(err)) throw err;
  }
}

function drive(input: Record<string, unknown>, agent: string[]): void {
  const config = testConfig(input);
  validateRoutingConfig(config);
  startupRouteCheck(config, { lapsAvailable: true });
  routesCheckReport(config, { lapsAssignees: ["senior"], roleFiles: [] });
  const roster = buildRoster(config, agent.length ? { agent } : {});
  const router = createRouter({ config, roster, providers: buildProviderIndex(config).index });
  let now = T0;
  for (let i = 0; i < 12; i++) {
    const sel = router.select({ now, lapsMode: i % 2 === 0, assignee: i % 3 === 0 ? "SENIOR" : undefined });
    if (sel.kind === "end") return;
    if (sel.kind === "wait") {
      expect(sel.ms).toBeGreaterThan(0);
      now += sel.ms;
      continue;
    }
    if (i % 4 === 3) router.bench(sel.runner.quotaScope, now + 1000, now);
    else if (i % 5 === 4) router.onFailure(sel, now);
    else router.onSuccess(sel);
  }
}

describe("routing properties over random configs", () => {
  test("every entry point throws only RallyErrors", () => {
    fc.assert(
      fc.property(configInput, fc.array(entry, { maxLength: 3 }), (input, agent) => {
        onlyRallyErrors(() => drive(input, agent));
      }),
      { numRuns: 400 },
    );
  });

  test("a formatted entry resolves to the same agent as the original", () => {
    fc.assert(
      fc.property(configInput, entry, (input, raw) => {
        const config = testConfig(input);
        onlyRallyErrors(() => {
          const parsed = parseEntry(raw);
          const again = parseEntry(formatEntry(parsed));
          expect(again.spec).toBe(parsed.spec);
          expect(again.quota).toEqual(parsed.quota);
          expect(resolveAgent(again.spec, config)).toEqual(resolveAgent(parsed.spec, config));
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe("--agent round robin", () => {
  test("bare aliases run one of each, in order, then wrap", () => {
    const harnessOf: Record<string, string> = { cc: "claude", cx: "codex", ge: "gemini", op: "opencode", ag: "antigravity" };
    fc.assert(
      fc.property(fc.shuffledSubarray(Object.keys(harnessOf), { minLength: 1 }), fc.integer({ min: 1, max: 12 }), (aliases, runs) => {
        const config = testConfig();
        const router = createRouter({ config, roster: buildRoster(config, { agent: [aliases.join(" ")] }) });
        const picked: string[] = [];
        for (let i = 0; i < runs; i++) {
          const sel = router.select({ now: T0, lapsMode: false });
          if (sel.kind !== "run") throw new Error(`unexpected ${sel.kind}`);
          picked.push(sel.runner.harness);
          router.onSuccess(sel);
        }
        expect(picked).toEqual(Array.from({ length: runs }, (_, i) => harnessOf[aliases[i % aliases.length]!]!));
      }),
    );
  });
});
