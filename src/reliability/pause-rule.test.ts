import { describe, expect, test } from "bun:test";
import { AgentStatusEvent, buildStatusEvent } from "./agent-status.ts";
import type { FailureClass } from "./categories.ts";
import { classifyTry, type TryClassification } from "./classify.ts";
import { resilienceEventsAfterRun, shouldPause } from "./pause-rule.ts";
import { type RunMode, recordTry, startLedger, type TryReport } from "./strategy.ts";

// Spec 04 §14.4: failure sequences → agent_status events. Tries are classified from evidence,
// run through the retry_budget reducer, and the finished run goes through the pause rule.

const NOW = Date.parse("2026-11-25T10:00:00Z");
const H = 3_600_000;
const KEY = { harness: "claude", model: "sonnet" };

// Infra that retries inside the run (a rate limit would end the run and cool the runner down).
const infra = () => classifyTry({ harness: "claude", stderrTail: ["Error: connect ECONNREFUSED 127.0.0.1:443"] }, NOW);
const agent = () => classifyTry({ harness: "claude", exitCode: 1 }, NOW);
const incomplete = () => classifyTry({ harness: "claude", hasFileChanges: true, finalized: false }, NOW);

type Step = TryClassification | "success";

function simulate(budget: number, tries: Step[], mode: RunMode = "normal", streak = 0, state = "active" as const) {
  let ledger = startLedger(mode === "normal" ? budget : 3);
  let end = "exhausted";
  for (const t of tries) {
    const report: TryReport = t === "success" ? { kind: "succeeded" } : { kind: "failed", classification: t };
    const result = recordTry(ledger, report);
    ledger = result.ledger;
    if (result.next.action === "end") {
      end = result.next.end;
      break;
    }
  }
  const events = resilienceEventsAfterRun({
    key: KEY,
    mode,
    succeeded: end === "succeeded",
    classes: ledger.classes,
    currentState: state,
    retryFailedStreak: streak,
    now: NOW,
    relayId: 7,
  });
  return { attempts: ledger.attempts, end, events: events.map((e) => `${e.event_type}:${e.reason}`) };
}

describe("spec 04 §14.4 normal runs", () => {
  test.each([
    ["P1", 2, [infra(), infra()], ["paused:2 infra failures in one run"]],
    ["P2", 3, [infra(), infra(), infra()], ["paused:3 infra failures in one run"]],
    ["P3", 1, [infra()], []],
    ["P4", 3, [infra(), infra(), agent()], []],
    ["P5", 3, [agent(), infra(), infra()], ["paused:2 infra failures in one run"]],
    ["P6", 3, [infra(), agent(), infra()], ["paused:2 infra failures in one run"]],
    ["P7", 3, [infra(), "success"], []],
    ["P8", 5, [agent(), agent(), agent(), agent(), agent()], []],
    ["P12", 5, [incomplete(), incomplete(), incomplete(), incomplete(), incomplete()], []],
  ] as Array<[string, number, Step[], string[]]>)("%s", (_name, budget, tries, events) => {
    expect(simulate(budget, tries).events).toEqual(events);
  });

  test("P11 auth: one confirming retry, then a pause (rally counts auth as infra; spec 04 did not)", () => {
    const auth = classifyTry({ harness: "claude", errorEvents: [{ message: "Invalid API key", status: 401 }] }, NOW);
    expect(auth).toMatchObject({ category: "auth_or_proxy", class: "infra" });
    expect(simulate(5, [auth, auth, auth])).toEqual({ attempts: 2, end: "terminal", events: ["paused:2 infra failures in one run"] });
  });

  test("a single rate limit ends the run without a pause (the runner only cools down)", () => {
    const limited = classifyTry({ harness: "claude", stderrTail: ["error: rate limit reached"] }, NOW);
    expect(simulate(5, [limited, limited])).toEqual({ attempts: 1, end: "cooldown", events: [] });
  });

  test("a key that is not active is not paused again", () => {
    expect(simulate(2, [infra(), infra()], "normal", 0, "paused" as "active").events).toEqual([]);
  });

  test("the rule itself", () => {
    const cases: Array<[boolean, FailureClass[], boolean]> = [
      [false, ["infra", "infra"], true],
      [true, ["infra", "infra"], false],
      [false, ["infra"], false],
      [false, ["infra", "infra", "incomplete"], false],
    ];
    expect(cases.map(([succeeded, classes]) => shouldPause({ succeeded, classes }))).toEqual(cases.map((c) => c[2]));
  });
});

describe("hourly retries and probation", () => {
  test("P14 hourly retry: infra ×3 writes retry_failed; the 5th consecutive also freezes", () => {
    expect(simulate(3, [infra(), infra(), infra()], "hourly_retry", 0, "paused" as "active").events).toEqual(["retry_failed:hourly retry failed"]);
    expect(simulate(3, [infra(), infra(), infra()], "hourly_retry", 4, "paused" as "active").events).toEqual([
      "retry_failed:hourly retry failed",
      "frozen:hourly retry threshold reached",
    ]);
  });
  test("P15 hourly retry success writes active", () => {
    expect(simulate(3, [infra(), infra(), "success"], "hourly_retry", 2, "paused" as "active").events).toEqual(["active:hourly retry succeeded"]);
  });
  test("a non-infra hourly failure writes nothing", () => {
    expect(simulate(3, [agent(), agent(), agent()], "hourly_retry", 0, "paused" as "active").events).toEqual([]);
  });
  test("P16 probation failure freezes", () => {
    expect(simulate(3, [agent(), agent(), agent()], "probation", 0, "probation" as "active").events).toEqual(["frozen:probation run failed"]);
  });
  test("P17 probation success or incomplete final writes active", () => {
    expect([
      simulate(3, ["success"], "probation", 0, "probation" as "active").events,
      simulate(3, [agent(), agent(), incomplete()], "probation", 0, "probation" as "active").events,
    ]).toEqual([["active:probation run succeeded"], ["active:probation run succeeded"]]);
  });
});

describe("event shapes", () => {
  test("builders write the file's shape and the schema accepts it", () => {
    const paused = buildStatusEvent(KEY, "paused", NOW + 1234, { relayId: 3, reason: "2 infra failures in one run" });
    expect(paused).toEqual({
      agent_type: "claude",
      model: "sonnet",
      event_type: "paused",
      timestamp: "2026-11-25T10:00:01Z",
      relay_id: 3,
      reason: "2 infra failures in one run",
    });
    expect(AgentStatusEvent.parse(paused)).toEqual(paused);
  });
  test("a benched event without reset_at is rejected", () => {
    expect(AgentStatusEvent.safeParse({ agent_type: "codex", event_type: "benched", timestamp: "2026-11-25T10:00:00Z" }).success).toBe(false);
  });
});
