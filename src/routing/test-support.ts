// Test-only helpers (imported by *.test.ts, never by the routing modules themselves).
import { ConfigFile } from "../config/schema.ts";
import { formatGoDuration } from "./duration.ts";
import { runnerLabel } from "./resolve-agent.ts";
import { buildRoster, type RosterFlags } from "./roster.ts";
import { createRouter, type Router } from "./router.ts";
import type { StatusEvent } from "./agent-status.ts";
import type { ProviderIndex } from "./quota-scope.ts";

export type TestConfig = ConfigFile;

/** A config as the loader would hand it over, from a TOML-shaped object. */
export function testConfig(input: Record<string, unknown> = {}): TestConfig {
  return ConfigFile.parse(input);
}

export const H = 3_600_000;
export const T0 = Date.parse("2026-11-25T10:00:00Z");

/**
 * Outcomes of runs as in spec 02 §11: ok, fail, infra (≥2 infra attempts ⇒ pause), usage:<ms>,
 * skip, freeze-ok (stall detected mid-run, then success), +<ms> (clock advance, no run).
 */
export type Outcome = "ok" | "fail" | "infra" | "auth" | "skip" | `usage:${number}` | `+${number}`;

export type SimOptions = {
  flags?: RosterFlags;
  statusEvents?: StatusEvent[];
  providers?: ProviderIndex;
  assignees?: (string | undefined)[];
  lapsMode?: boolean;
  now?: number;
  /** Stop at the first wait instead of sleeping through it. */
  stopAtWait?: boolean;
};

export type Sim = { picks: string[]; router: Router; now: () => number; persisted: StatusEvent[] };

/** Drive a router like the relay engine would; waits advance the fake clock. */
export function simulate(config: TestConfig, outcomes: Outcome[], opts: SimOptions = {}): Sim {
  const roster = buildRoster(config, opts.flags);
  const router = createRouter({ config, roster, statusEvents: opts.statusEvents, providers: opts.providers });
  let now = opts.now ?? T0;
  const picks: string[] = [];
  const persisted: StatusEvent[] = [];
  let run = 0;
  for (let guard = 0; guard < 200 && run <= outcomes.length; guard++) {
    const outcome = outcomes[run];
    if (outcome?.startsWith("+")) {
      now += Number(outcome.slice(1));
      run++;
      continue;
    }
    const sel = router.select({ now, lapsMode: opts.lapsMode ?? false, assignee: opts.assignees?.[run] });
    persisted.push(...sel.persist);
    if (sel.kind === "end") {
      picks.push(sel.reason === "all agents frozen" ? "FROZEN" : sel.reason === "all agents unavailable" ? "UNAVAIL" : sel.reason);
      break;
    }
    if (sel.kind === "wait") {
      picks.push(`WAIT(${formatGoDuration(sel.ms)})`);
      if (opts.stopAtWait) break;
      now += sel.ms;
      continue;
    }
    picks.push(runnerLabel(sel.runner) + (sel.attempt === "normal" ? "" : `(${sel.attempt})`));
    if (outcome === undefined) break; // the last pick shows what would run next
    run++;
    const key = sel.runner.key;
    if (outcome === "ok") {
      router.onSuccess(sel);
      if (sel.attempt !== "normal") router.record({ key, event: "active", at: now });
    } else if (outcome === "skip") {
      router.onSkip(sel);
    } else {
      router.onFailure(sel, now);
      if (outcome === "infra" || outcome === "auth") {
        if (sel.attempt === "normal") persisted.push(router.pause(key, now));
        // The engine sidelines a runner whose credentials failed: no one waits for a fixed key.
        if (outcome === "auth") router.sideline(key);
        else router.record({ key, event: sel.attempt === "probation" ? "frozen" : "retry_failed", at: now });
      } else if (outcome.startsWith("usage:")) {
        const until = now + Number(outcome.slice("usage:".length));
        persisted.push(...router.bench(sel.runner.quotaScope, until, now, { lane: sel.lane, role: opts.assignees?.[run - 1] ?? "" }));
      }
    }
  }
  return { picks, router, now: () => now, persisted };
}
