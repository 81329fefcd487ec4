// The real agent CLIs through `rally relay` against the scripted model server: a relay that
// creates a file, and a two-attempt codeword run that only succeeds if rally really resumed the
// CLI's session. Gated: RALLY_TEST_AGENT_CLIS=1 after `cd tests/agents && bun install`.

import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Scenarios } from "../support/model-server.ts";
import { AGENT_CLIS } from "./cli-env.ts";
import { agentRelay, AGENTS_BIN, ALIAS, ENABLED, git, why } from "./relay-support.ts";
import { codewordRelay } from "./relay-scenarios.ts";

const TIMEOUT = 180_000;
const WORD = "PELICAN-4821";

describe.if(ENABLED)("real agent CLIs through rally relay", () => {
  for (const cli of AGENT_CLIS) {
    describe(cli, () => {
      test("is installed in tests/agents/node_modules", () => {
        expect(existsSync(join(AGENTS_BIN, cli))).toBe(true);
      });

      test("a relay that creates a file: completed try, session id, commit, clean tree", async () => {
        await using a = await agentRelay([cli], { scenario: Scenarios.text("unused") });
        a.server.setScenario(Scenarios.writeFile(join(a.s.repo, "made.txt"), "made by the agent\n"));
        const r = await a.run(["relay", "-i", "1", "--agent", ALIAS[cli], "Create the file made.txt"]);
        expect(r.code, why(r, a)).toBe(0);
        expect(readFileSync(join(a.s.repo, "made.txt"), "utf8")).toBe("made by the agent\n");
        const tries = a.s.tries();
        expect(tries, why(r, a)).toHaveLength(1);
        expect(tries[0]).toMatchObject({ agent_type: cli, completed: true, files_changed: ["made.txt"] });
        expect(tries[0]!.session_id).toBeString();
        expect(tries[0]!.session_id.length).toBeGreaterThan(0);
        expect(tries[0]!.commit_hash).toMatch(/^[0-9a-f]{40}$/);
        expect(git(a, "log", "-1", "--format=%H")).toStartWith(tries[0]!.commit_hash);
        expect(git(a, "show", "--name-only", "--format=", tries[0]!.commit_hash)).toContain("made.txt");
        // The CLI left nothing behind in the work tree (no stray session/config files).
        expect(git(a, "status", "--porcelain", "--untracked-files=all")).toBe("");
        // The model saw rally's prompt with the task.
        const first = a.server.modelRequests().find((q) => JSON.stringify(q.body).includes("Create the file made.txt"));
        expect(first).toBeDefined();
      }, TIMEOUT);

      test("codeword: attempt 2 resumes attempt 1's session and writes what only that history holds", async () => {
        await using a = await agentRelay([cli], { scenario: Scenarios.text("unused") });
        const scenario = codewordRelay(join(a.s.repo, "codeword.txt"), WORD);
        a.server.setScenario(scenario);
        // The task never names the word: it exists only in attempt 1's shell output.
        const r = await a.run(["relay", "-i", "1", "--agent", ALIAS[cli], "Follow the codeword protocol"]);
        expect(r.code, why(r, a)).toBe(0);
        const [first, second, ...rest] = a.s.tries();
        expect(rest, why(r, a)).toEqual([]);
        expect(first).toMatchObject({ agent_type: cli, completed: false, fail_reason: "no changes made", attempt_number: 1 });
        expect(second).toMatchObject({ agent_type: cli, completed: true, attempt_number: 2, run_id: first!.run_id });
        expect(first!.session_id).toBeString();
        expect(second!.session_id).toBe(first!.session_id);
        expect(readFileSync(join(a.s.repo, "codeword.txt"), "utf8")).toBe(`${WORD}\n`);
        // Attempt 1 learned the word and stopped; attempt 2's request carried attempt 1's whole exchange.
        expect(scenario.seen.map((x) => x.step)).toEqual(["learn", "noted", "write", "done"]);
        const resumed = scenario.seen.find((x) => x.step === "write")!.conversation;
        const users = resumed.turns.filter((t) => t.role === "user" && t.text.includes("Follow the codeword protocol"));
        expect(users.length).toBeGreaterThanOrEqual(2); // attempt 1's prompt + rally's resumed prompt
        const lastUser = resumed.turns.findLastIndex((t) => t.role === "user");
        expect(resumed.turns.slice(0, lastUser).some((t) => t.role !== "user" && t.text.includes(WORD))).toBe(true);
        expect(resumed.lastUserText).not.toContain(WORD);
        expect(git(a, "status", "--porcelain", "--untracked-files=all")).toBe("");
      }, TIMEOUT);
    });
  }
});
