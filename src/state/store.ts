import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { RallyError } from "../errors.ts";
import { appendJsonl, readJsonl, setAsideTornTail, writeJson, writeJsonlAtomic } from "./jsonl.ts";
import {
  AgentStatusEvent,
  capText,
  RelayRecord,
  RunState,
  SummaryEntry,
  TryRecord,
  type TryRecordInput,
} from "./schema.ts";

// The workspace store: `.rally/state/*` plus `.rally/summary.jsonl`. Loaded once per relay and
// kept in memory; every write goes to disk immediately (append or atomic rewrite).

export interface StorePaths {
  rallyDir: string;
  stateDir: string;
  tries: string;
  relays: string;
  agentStatus: string;
  runState: string;
  currentTask: string;
  summary: string;
  hookAudit: string;
  lock: string;
}

export function storePaths(workspace: string): StorePaths {
  const rallyDir = join(workspace, ".rally");
  const stateDir = join(rallyDir, "state");
  return {
    rallyDir,
    stateDir,
    tries: join(stateDir, "tries.jsonl"),
    relays: join(stateDir, "relays.jsonl"),
    agentStatus: join(stateDir, "agent_status.jsonl"),
    runState: join(stateDir, "run-state.json"),
    currentTask: join(stateDir, "current_task.md"),
    summary: join(rallyDir, "summary.jsonl"),
    hookAudit: join(stateDir, "hook-audit.jsonl"),
    lock: join(stateDir, "relay.lock"),
  };
}

export class Store {
  readonly tries: TryRecord[] = [];
  readonly relays: RelayRecord[] = [];
  readonly agentStatus: AgentStatusEvent[] = [];
  /** Notes for the user about repairs made while loading (torn lines set aside). */
  readonly repairs: string[] = [];

  private constructor(readonly paths: StorePaths, private readonly triesLogDir: string) {}

  /**
   * Load the store. With `repair` (only while holding the workspace lock), a torn last line is
   * moved to `<file>.torn` so the next append starts clean; otherwise it is just skipped.
   */
  static open(workspace: string, opts: { triesLogDir: string; repair: boolean }): Store {
    const paths = storePaths(workspace);
    mkdirSync(paths.stateDir, { recursive: true });
    const store = new Store(paths, opts.triesLogDir);
    store.tries.push(...store.load(paths.tries, TryRecord, opts.repair));
    store.relays.push(...store.load(paths.relays, RelayRecord, opts.repair));
    store.agentStatus.push(...store.load(paths.agentStatus, AgentStatusEvent, opts.repair));
    return store;
  }

  private load<T>(path: string, schema: import("zod/mini").ZodMiniType<T>, repair: boolean): T[] {
    const { records, tornTail } = readJsonl(path, schema);
    if (tornTail !== undefined) {
      if (repair) setAsideTornTail(path, tornTail);
      this.repairs.push(`${path}: skipped a partial last line (an interrupted write)${repair ? `; kept it in ${path}.torn` : ""}`);
    }
    return records;
  }

  // ---- tries -------------------------------------------------------------------------------

  /**
   * The next try id. It must never collide with a try whose record was lost in a crash, so it
   * also counts try logs already on disk and the run-state's in-flight try.
   */
  nextTryId(): number {
    let max = Math.max(0, ...this.tries.map((t) => t.id));
    const active = this.readRunState()?.active_try_id;
    if (active) max = Math.max(max, active);
    if (existsSync(this.triesLogDir)) {
      for (const name of readdirSync(this.triesLogDir)) {
        const m = /^try-(\d+)\.log$/.exec(name);
        if (m) max = Math.max(max, Number(m[1]));
      }
    }
    return max + 1;
  }

  appendTry(input: TryRecordInput): TryRecord {
    const record = TryRecord.parse(input);
    record.summary = capText(record.summary);
    record.remaining_work = capText(record.remaining_work);
    if (record.commit_history?.length) record.commit_hash = record.commit_history.at(-1)!;
    else if (record.commit_hash) record.commit_history = [record.commit_hash];
    appendJsonl(this.paths.tries, record);
    this.tries.push(record);
    return record;
  }

  triesOfRelay(relayId: number): TryRecord[] {
    return this.tries.filter((t) => t.relay_id === relayId);
  }

  // ---- relays ------------------------------------------------------------------------------

  lastRelay(): RelayRecord | undefined {
    return this.relays.at(-1);
  }

  relayById(id: number): RelayRecord | undefined {
    return this.relays.find((r) => r.id === id);
  }

  createRelay(fields: Omit<RelayRecord, "v" | "id">): RelayRecord {
    const relay = RelayRecord.parse({ ...fields, id: Math.max(0, ...this.relays.map((r) => r.id)) + 1 });
    appendJsonl(this.paths.relays, relay);
    this.relays.push(relay);
    return relay;
  }

  updateRelay(relay: RelayRecord): void {
    const i = this.relays.findIndex((r) => r.id === relay.id);
    if (i < 0) throw new RallyError("STATE_INCONSISTENT", `relay ${relay.id} is not in ${this.paths.relays}`);
    this.relays[i] = relay;
    writeJsonlAtomic(this.paths.relays, this.relays);
  }

  // ---- agent status ------------------------------------------------------------------------

  appendAgentStatus(event: AgentStatusEvent): void {
    const parsed = AgentStatusEvent.parse(event);
    appendJsonl(this.paths.agentStatus, parsed);
    this.agentStatus.push(parsed);
  }

  resetAgentStatus(): void {
    rmSync(this.paths.agentStatus, { force: true });
    this.agentStatus.length = 0;
  }

  // ---- run-state, summary, current task ----------------------------------------------------

  readRunState(): RunState | undefined {
    if (!existsSync(this.paths.runState)) return undefined;
    try {
      return RunState.parse(JSON.parse(readFileSync(this.paths.runState, "utf8")));
    } catch {
      return undefined; // a half-written run-state is as good as none: it only describes a crash
    }
  }

  writeRunState(state: RunState): void {
    writeJson(this.paths.runState, state);
  }

  updateRunState(patch: Partial<RunState>): void {
    const current = this.readRunState();
    if (current) this.writeRunState({ ...current, ...patch });
  }

  deleteRunState(): void {
    rmSync(this.paths.runState, { force: true });
  }

  readSummaries(): SummaryEntry[] {
    try {
      return readJsonl(this.paths.summary, SummaryEntry).records;
    } catch {
      return [];
    }
  }

  appendSummary(entry: SummaryEntry): void {
    const parsed = SummaryEntry.parse(entry);
    parsed.summary = capText(parsed.summary);
    if (parsed.handoff) parsed.handoff = { ...parsed.handoff, summary: capText(parsed.handoff.summary), followups: parsed.handoff.followups.map(capText) };
    appendJsonl(this.paths.summary, parsed);
  }

  writeCurrentTask(prompt: string): void {
    writeFileSync(this.paths.currentTask, prompt);
  }
}
