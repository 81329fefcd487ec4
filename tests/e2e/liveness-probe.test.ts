import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { jsonl, relayLogText, relaySandbox, type RelaySandbox } from "../support/relay-fixture.ts";

// The opt-in liveness probe through `rally relay` with the built-in codex harness: a fake `codex`
// on PATH keeps its log moving (a JSON line every 0.5 s) while its disk I/O stays idle, which is
// the ambiguous state (spec 04 §6.3). With a 5 s stall threshold the ambiguity window is 5 s, so
// rally asks `codex exec … -o FILE … fork <thread> "Respond with exactly OK."` a few seconds in.

const THREAD = "0199aaaa-bbbb-7ccc-8ddd-eeeeffff0001";
const onLinux = process.platform === "linux"; // ambiguity needs /proc disk-I/O counters

/**
 * A probe (`-o FILE`) records its argv and writes $FAKE_PROBE_ANSWER to FILE. Otherwise it is a
 * busy agent: `thread.started`, then $FAKE_LINES lines 0.5 s apart, then one change and a
 * completed turn. It touches no file until that last change.
 */
const FAKE_CODEX = `#!/bin/sh
out=""; prev=""
for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
if [ -n "$out" ]; then
  (IFS='|'; printf '%s\\n' "$*") >> "$FAKE_PROBE_RECORD"
  printf '%s\\n' "$FAKE_PROBE_ANSWER" > "$out"
  exit 0
fi
echo '{"type":"thread.started","thread_id":"${THREAD}"}'
echo '{"type":"turn.started"}'
i=0
while [ "$i" -lt "$FAKE_LINES" ]; do
  echo '{"type":"item.started","item":{"id":"item_'"$i"'","type":"reasoning","text":""}}'
  sleep 0.5
  i=$((i+1))
done
echo done >> work.txt
echo '{"type":"item.completed","item":{"id":"item_end","type":"agent_message","text":"finished"}}'
echo '{"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":2}}'
`;

function fakeCodex(s: RelaySandbox, answer: string, lines: number): Record<string, string> {
  const bin = join(s.dir, "fake-bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "codex"), FAKE_CODEX);
  chmodSync(join(bin, "codex"), 0o755);
  return {
    PATH: `${bin}:${s.env.PATH}`,
    FAKE_PROBE_ANSWER: answer,
    FAKE_PROBE_RECORD: join(s.dir, "probes.txt"),
    FAKE_LINES: String(lines),
  };
}

const probes = (s: RelaySandbox) => {
  try {
    return readFileSync(join(s.dir, "probes.txt"), "utf8").split("\n").filter(Boolean).map((l) => l.split("|"));
  } catch {
    return [];
  }
};

const CONFIG = "[reliability]\nstall_threshold_secs = 5\nretry_budget = 1\nliveness_probe = true";

describe.if(onLinux)("liveness probe through rally relay (codex)", () => {
  test("a dead answer stops the try as frozen, and the agent is frozen out", async () => {
    await using s = await relaySandbox({});
    s.writeConfig(CONFIG);
    const t0 = Date.now();
    const r = await s.run(["relay", "-i", "1", "--agent", "cx", "t"], { env: fakeCodex(s, "NOPE", 60), timeoutMs: 40_000 });
    expect(Date.now() - t0).toBeLessThan(25_000); // stopped long before its 30 s of output
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("all agents frozen");
    const [t] = s.tries();
    expect(t).toMatchObject({ agent_type: "codex", completed: false, category: "stalled", session_id: THREAD });
    const log = relayLogText(s);
    expect(log).toContain('liveness probe for codex: dead (answered "NOPE")');
    expect(log).toContain('freeze detected: liveness probe failed: answered "NOPE"');
    expect(jsonl(join(s.repo, ".rally/state/agent_status.jsonl"))).toMatchObject([{ agent_type: "codex", event_type: "frozen" }]);
    // One probe, of the session the agent announced, through codex's own exec flags.
    const [probe, ...more] = probes(s);
    expect(more).toEqual([]);
    expect(probe!.slice(0, 2)).toEqual(["exec", "--json"]);
    expect(probe!.slice(-3)).toEqual(["fork", THREAD, "Respond with exactly OK."]);
    expect(probe!).toContain("-o");
    // The agent's group wrote nothing to disk but its own try log (its stdout): that is what made
    // it ambiguous while the log kept moving. The kernel counts write_bytes a page at a time, each
    // time a clean page is dirtied; once writeback (any fsync or sync on the machine) has cleaned the
    // log's last page, the agent's next line counts 4 KiB again, so the bound is pages per append.
    const rows = jsonl(t!.log_path.replace(/\.log$/, ".netstat.jsonl"));
    const io = rows.map((row) => row.io_bytes);
    const appends = readFileSync(t!.log_path, "utf8").split("\n").length;
    expect(Math.max(...io) - Math.min(...io)).toBeLessThanOrEqual((2 * appends + 8) * 4096);
    expect(rows.every((row) => row.log_silent_s < 5)).toBe(true);
  }, 45_000);

  test("an OK answer leaves the agent alone: it runs to its own end and the run succeeds", async () => {
    await using s = await relaySandbox({});
    s.writeConfig(CONFIG);
    // ~13 s of output: ambiguous from ~6 s, so at least one probe, spaced a 5 s window apart.
    const r = await s.run(["relay", "-i", "1", "--agent", "cx", "t"], { env: fakeCodex(s, "OK", 26), timeoutMs: 40_000 });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining("frozen") });
    const [t] = s.tries();
    expect(t).toMatchObject({ agent_type: "codex", completed: true, summary: "finished" });
    const log = relayLogText(s);
    expect(log).toMatch(/liveness probe for codex: alive \(\d+\.\ds\)/);
    expect(log).not.toContain("dead");
    expect(log).not.toContain("freeze detected");
    const n = probes(s).length;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(2); // never more than one per window
  }, 45_000);

  test("without liveness_probe the same agent is never probed", async () => {
    await using s = await relaySandbox({});
    s.writeConfig("[reliability]\nstall_threshold_secs = 5\nretry_budget = 1");
    const r = await s.run(["relay", "-i", "1", "--agent", "cx", "t"], { env: fakeCodex(s, "NOPE", 16), timeoutMs: 40_000 });
    expect(r.code).toBe(0);
    expect(s.tries()[0]).toMatchObject({ completed: true });
    expect(probes(s)).toEqual([]);
    expect(relayLogText(s)).not.toContain("liveness probe");
  }, 45_000);
});
