// Provider faults seen by the real CLIs, classified by rally from the CLIs' own output, and a hung
// CLI stopped by the user. Gated: RALLY_TEST_AGENT_CLIS=1 after `cd tests/agents && bun install`.

import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Scenarios } from "../support/model-server.ts";
import { jsonl } from "../support/relay-fixture.ts";
import { AGENT_CLIS, type AgentCli } from "./cli-env.ts";
import { type AgentRelay, agentRelay, ALIAS, ENABLED, git, groupPids, groupSockets, interrupt, runState, tryLog, why } from "./relay-support.ts";
import { limitWordsInWork } from "./relay-scenarios.ts";

const TIMEOUT = 180_000;
/** opencode has no retry-count knob; it honours retry-after-ms, so its retries end in seconds. */
const retryAfter = (cli: AgentCli) => (cli === "opencode" ? { retryAfterMs: 100 } : {});

/** What each CLI prints for the scripted 429 / usage limit (its real output, in the try log). */
const SAYS_429: Record<AgentCli, RegExp> = {
  claude: /429/,
  codex: /429 Too Many Requests/,
  gemini: /429|RESOURCE_EXHAUSTED|exhausted/i,
  opencode: /429|rate limit/i,
};
const SAYS_USAGE: Record<AgentCli, RegExp> = {
  claude: /You've hit your limit/,
  codex: /hit your usage limit/,
  gemini: /exhausted your daily quota/,
  opencode: /hit your usage limit/,
};

function relayLog(a: AgentRelay): string {
  const dir = join(a.s.dataDir, "relays");
  if (!existsSync(dir)) return "";
  return readdirSync(dir).flatMap((key) => readdirSync(join(dir, key)).map((f) => readFileSync(join(dir, key, f), "utf8"))).join("");
}

const agentStatus = (a: AgentRelay) => jsonl(join(a.s.repo, ".rally/state/agent_status.jsonl"));

describe.if(ENABLED)("real agent CLIs through rally relay: faults", () => {
  for (const cli of AGENT_CLIS) {
    describe(cli, () => {
      test("HTTP 429: the try fails as short_rate_limit with the CLI's own output in the try log", async () => {
        await using a = await agentRelay([cli], { scenario: Scenarios.rateLimit429(retryAfter(cli)), cli: { retries: "none" } });
        const relay = a.spawn(["relay", "-i", "1", "--agent", ALIAS[cli], "Say hello"]);
        await a.s.waitFor(() => a.s.tries().length > 0, 120_000);
        await interrupt(relay);
        const t = a.s.tries()[0]!;
        expect(t).toMatchObject({ agent_type: cli, completed: false, category: "short_rate_limit" });
        expect(tryLog(t)).toMatch(SAYS_429[cli]);
        expect(a.server.modelRequests().some((q) => q.reply === "fault:rateLimit429")).toBe(true);
      }, TIMEOUT);

      test("usage limit: the try fails as usage_limit, the runner is benched and the relay waits", async () => {
        await using a = await agentRelay([cli], { scenario: Scenarios.usageLimit(retryAfter(cli)), cli: { retries: "none" } });
        const relay = a.spawn(["relay", "-i", "1", "--agent", ALIAS[cli], "Say hello"]);
        // The reset wordings are minute-precise or absent (gemini), so stop the waiting relay ourselves.
        await a.s.waitFor(() => relayLog(a).includes("all agents paused, waiting"), 120_000);
        const code = await interrupt(relay);
        const t = a.s.tries()[0]!;
        expect(t).toMatchObject({ agent_type: cli, completed: false, category: "usage_limit" });
        expect(t.fail_reason).toStartWith("usage limit");
        expect(tryLog(t).replaceAll("’", "'")).toMatch(SAYS_USAGE[cli]);
        const benched = agentStatus(a).find((e) => e.event_type === "benched");
        expect(benched).toMatchObject({ agent_type: cli, reason: "usage limit reached" });
        expect(a.s.tries()).toHaveLength(1); // no second try while benched
        expect(code).not.toBe(0); // stopped while waiting: the relay did not finish
      }, TIMEOUT);

      // codex prints the reset truncated to the minute ("try again at 3:45 AM"), so a reset seconds
      // ahead reads as already passed: rally benches until a past time and ends the relay with
      // "all agents unavailable" (reported; not asserted here).
      if (cli !== "codex") test("usage limit resetting in seconds: the relay waits, then resumes by itself", async () => {
        const limit = Scenarios.usageLimit({ ...retryAfter(cli), resetsInSeconds: 5, message: "You've hit your usage limit · resets in 5s" });
        await using a = await agentRelay([cli], { scenario: limit, cli: { retries: "none" } });
        const t0 = Date.now();
        const relay = a.spawn(["relay", "-i", "1", "--agent", ALIAS[cli], "Create the file made.txt"]);
        await a.s.waitFor(() => a.s.tries().length > 0, 120_000);
        a.server.setScenario(Scenarios.writeFile(join(a.s.repo, "made.txt"), "after the reset\n"));
        const timer = setTimeout(() => relay.kill("SIGINT"), 90_000);
        const code = await relay.exited;
        clearTimeout(timer);
        expect(code).toBe(0);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(4000);
        expect(a.s.tries().map((t) => [t.agent_type, t.completed, t.category ?? ""])).toEqual([
          [cli, false, "usage_limit"],
          [cli, true, ""],
        ]);
        expect(relayLog(a)).toContain("all agents paused, waiting");
        expect(readFileSync(join(a.s.repo, "made.txt"), "utf8")).toBe("after the reset\n");
      }, TIMEOUT);

      // codex prints the reset to the minute only ("try again at 3:43 AM"): with a reset two minutes
      // ahead rally must read that clock time, wait for it, and carry on by itself.
      if (cli === "codex") test("usage limit resetting in two minutes: benched, waiting, then the relay resumes by itself", async () => {
        await using a = await agentRelay([cli], { scenario: Scenarios.usageLimit({ resetsInSeconds: 120 }), cli: { retries: "none" } });
        const t0 = Date.now();
        const relay = a.spawn(["relay", "-i", "1", "--agent", ALIAS[cli], "Create the file made.txt"]);
        await a.s.waitFor(() => relayLog(a).includes("all agents paused, waiting"), 120_000);
        expect(tryLog(a.s.tries()[0]!)).toMatch(/try again at \d{1,2}:\d{2}/);
        a.server.setScenario(Scenarios.writeFile(join(a.s.repo, "made.txt"), "after the reset\n"));
        const timer = setTimeout(() => relay.kill("SIGINT"), 200_000);
        const code = await relay.exited;
        clearTimeout(timer);
        expect(code).toBe(0);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(55_000); // waited for the printed minute
        expect(a.s.tries().map((t) => [t.agent_type, t.completed, t.category ?? ""])).toEqual([
          [cli, false, "usage_limit"],
          [cli, true, ""],
        ]);
        expect(agentStatus(a).find((e) => e.event_type === "benched")).toMatchObject({ agent_type: cli, reason: "usage limit reached" });
        expect(readFileSync(join(a.s.repo, "made.txt"), "utf8")).toBe("after the reset\n");
      }, 300_000);

      test("401 on every attempt: one confirming retry, paused, and the relay ends with all agents unavailable", async () => {
        await using a = await agentRelay([cli], { scenario: Scenarios.auth401(), cli: { retries: "none" } });
        const r = await a.run(["relay", "-i", "1", "--agent", ALIAS[cli], "Say hello"]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain("relay failed: all agents unavailable");
        expect(a.s.tries().map((t) => [t.agent_type, t.completed, t.category])).toEqual([
          [cli, false, "auth_or_proxy"],
          [cli, false, "auth_or_proxy"],
        ]);
        const paused = agentStatus(a).filter((e) => e.event_type === "paused");
        expect(paused).toHaveLength(1);
        expect(paused[0]).toMatchObject({ agent_type: cli, reason: "2 infra failures in one run" });
        expect(relayLog(a)).toContain("sidelined for this relay: auth/proxy error");
        expect(a.s.relays().at(-1)!.ended_at).toBeTruthy();
      }, TIMEOUT);

      test("false positive: limit and auth words in the agent's own work leave a successful try a success", async () => {
        const body = "Error: rate limit exceeded (HTTP 429 Too Many Requests). You've hit your usage limit · resets 7pm (Europe/Istanbul). 401 Unauthorized: invalid x-api-key\n";
        await using a = await agentRelay([cli], { scenario: Scenarios.text("unused") });
        a.server.setScenario(limitWordsInWork(join(a.s.repo, "limits.md"), body));
        const r = await a.run(["relay", "-i", "1", "--agent", ALIAS[cli], "Write limits.md about provider errors"]);
        expect(r.code, why(r, a)).toBe(0);
        expect(readFileSync(join(a.s.repo, "limits.md"), "utf8")).toBe(body);
        const tries = a.s.tries();
        expect(tries.map((t) => [t.agent_type, t.completed, t.category ?? ""]), why(r, a)).toEqual([[cli, true, ""]]);
        // The words did reach the try log, through the CLI's own stream.
        expect(tryLog(tries[0]!)).toContain("rate limit exceeded");
        expect(agentStatus(a).filter((e) => e.event_type === "benched" || e.event_type === "paused")).toEqual([]);
      }, TIMEOUT);

      test("false positive, failed try: limit words read from a file are not the CLI's limit", async () => {
        const body = "Error: rate limit exceeded (HTTP 429 Too Many Requests). You've hit your usage limit · resets in 96h. 401 Unauthorized\n";
        await using a = await agentRelay([cli], { scenario: Scenarios.text("unused") });
        writeFileSync(join(a.s.repo, "limits.md"), body);
        git(a, "add", "limits.md");
        git(a, "commit", "-qm", "notes on provider errors");
        a.server.setScenario(limitWordsInWork(join(a.s.repo, "limits.md"), body, { readOnly: true }));
        // Reading changes nothing, so the try fails ("no changes made"); the question is why.
        const r = await a.run(["relay", "-i", "1", "--agent", ALIAS[cli], "Read limits.md"]);
        const tries = a.s.tries();
        expect(tries.length, why(r, a)).toBeGreaterThan(0);
        expect(tryLog(tries[0]!)).toContain("rate limit exceeded");
        for (const t of tries) {
          expect(t).toMatchObject({ agent_type: cli, completed: false, fail_reason: "no changes made" });
          expect(["usage_limit", "short_rate_limit", "auth_or_proxy", "provider_overloaded"]).not.toContain(t.category);
        }
        expect(agentStatus(a).filter((e) => e.event_type === "benched" || e.event_type === "paused")).toEqual([]);
      }, TIMEOUT);

      test("hang: the agent group holds a live socket to the server; Ctrl+C leaves no CLI process", async () => {
        await using a = await agentRelay([cli], { scenario: Scenarios.hang() });
        const relay = a.spawn(["relay", "-i", "1", "--agent", ALIAS[cli], "Say hello"]);
        await a.server.waitForRequest((q) => q.reply === "fault:hang", 120_000);
        let pid = 0;
        let held: ReturnType<typeof groupSockets> = [];
        await a.s.waitFor(() => {
          pid = runState(a).active_pid ?? 0;
          held = pid ? groupSockets(pid, a.server.port) : [];
          return held.length > 0;
        }, 30_000);
        expect(held[0]!.remote).toBe(`127.0.0.1:${a.server.port}`);
        expect(groupPids(pid)).toContain(held[0]!.pid);
        await interrupt(relay);
        // SIGINT ends the whole group, not only its leader (node relaunches, native children).
        await a.s.waitFor(() => groupPids(pid).length === 0, 10_000).catch(() => {});
        expect(groupPids(pid)).toEqual([]);
        expect(runState(a).active_pid).toBeUndefined();
        expect(a.s.tries().at(-1)).toMatchObject({ agent_type: cli, completed: false });
      }, TIMEOUT);
    });
  }
});
