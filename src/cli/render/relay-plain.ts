import type { RelayEvents } from "../../relay/context.ts";
import { displayLabel, formatGoDuration } from "../../routing/index.ts";
import type { TryRecord } from "../../state/schema.ts";
import { writeErr, writeOut } from "../stdio.ts";

// Line-oriented rendering of a relay, used when there is no live monitor (non-TTY, CI, pipes).
// Results to stdout; warnings to stderr.

const out = (line: string) => writeOut(line + "\n");
const err = (line: string) => writeErr(line + "\n");

export function plainRelayEvents(): RelayEvents {
  return {
    note: (line) => out(line),
    warn: (line) => err(`warning: ${line}`),
    relayStarted: ({ relay, resumed }) =>
      out(`${resumed ? "Resuming" : "Starting"} relay #${relay.id}: ${relay.completed_iterations}/${relay.target_iterations} done (mix: ${displayLabel(relay.agent_mix)})`),
    runHeader: ({ index, target, harness, model }) => out(`[${index}/${target}] ${harness}${model ? ` ${model}` : ""}`),
    tryStarted: ({ attempt, tryId, logPath }) => out(`  try ${tryId}${attempt > 1 ? ` (attempt ${attempt})` : ""} · log: ${logPath}`),
    tryEnded: ({ record }) => {
      out(`  ${footer(record)}`);
    },
    // A pause can outlast its cause (a login fixed in another terminal): say how not to wait.
    waiting: ({ reason }) => err(`${reason} (Ctrl+C stops; \`rally relay --new\` starts over with every agent's pauses and benches cleared)`),
    relayEnded: ({ tries, message, failed, elapsedMs }) => {
      if (tries.length) out(tally(tries, elapsedMs));
      if (message && !failed) out(message);
    },
  };
}

export function footer(t: TryRecord): string {
  const mark = t.completed ? "✓" : "✗";
  const what = t.completed ? (t.outcome ?? "completed") : (t.fail_reason ?? t.outcome ?? "failed");
  const files = t.files_changed?.length ?? 0;
  const commit = t.commit_hash ? ` · ${t.commit_hash.slice(0, 7)}` : "";
  const secs = t.runtime_ms !== undefined ? ` · ${formatGoDuration(t.runtime_ms - (t.runtime_ms % 1000))}` : "";
  return `${mark} ${what} · ${files} file${files === 1 ? "" : "s"}${commit}${secs}`;
}

/** `Relay complete: 3 run(s) │ 2 passed │ 1 failed │ total 1m2s` (runs grouped by run id). */
export function tally(tries: TryRecord[], elapsedMs: number): string {
  const runs = new Map<number, TryRecord[]>();
  for (const t of tries) runs.set(t.run_id, [...(runs.get(t.run_id) ?? []), t]);
  let passed = 0;
  let failed = 0;
  let cancelled = 0;
  for (const group of runs.values()) {
    if (group.some((t) => t.completed)) passed++;
    else if (group.some((t) => t.outcome === "cancelled")) cancelled++;
    else failed++;
  }
  const parts = [`Relay complete: ${runs.size} run(s)`, `${passed} passed`, `${failed} failed`];
  if (cancelled) parts.push(`${cancelled} cancelled`);
  parts.push(`total ${formatGoDuration(elapsedMs - (elapsedMs % 1000))}`);
  return parts.join("  │  ");
}
