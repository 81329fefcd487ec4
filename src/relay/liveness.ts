import type { HarnessDescriptor, InvocationInput } from "../harness/types.ts";
import { ambiguityWindowS, createProbeScheduler, runLivenessProbe, type ProbeOutcome, type TickResult } from "../monitor/index.ts";
import { systemClock, type Clock } from "../sys/clock.ts";
import { spawnGroupProcess, type GroupSpawner } from "../sys/group-process.ts";

// The opt-in liveness probe of one try (spec 04 §7): every sampler tick goes to the probe
// scheduler; a probe it asks for runs in the background, and its outcome is acted on at a later
// tick. A dead answer stops the agent the way a freeze does.

export interface LivenessWatchInput {
  harness: HarnessDescriptor;
  invocation: InvocationInput;
  /** The agent's environment (the probe's own env is laid over it, as the agent's is). */
  baseEnv: Record<string, string | undefined>;
  stallThresholdS: number;
  /** The session id the harness parser has captured from the live stream so far. */
  sessionId(): string | undefined;
  /** A probe ended: alive, dead or inconclusive. */
  onOutcome(outcome: ProbeOutcome): void;
  /** The probe found the agent dead; called at most once. */
  onDead(reason: string): void;
  spawn?: GroupSpawner;
  clock?: Clock;
}

export interface LivenessWatch {
  /** Feed one sampler tick; never waits for a probe. */
  onTick(tick: TickResult): void;
  /** The try is over: kill a probe still running and ignore what follows. */
  close(): void;
}

/** undefined when the harness cannot probe. */
export function watchLiveness(input: LivenessWatchInput): LivenessWatch | undefined {
  const probeOf = input.harness.livenessProbe;
  if (!probeOf) return undefined;
  const clock = input.clock ?? systemClock;
  const scheduler = createProbeScheduler({ windowMs: ambiguityWindowS(input.stallThresholdS) * 1000, clock });
  const closed = new AbortController();
  const { model, workspace, config } = input.invocation;

  const start = (sessionId: string) => {
    void runLivenessProbe({
      probe: (answerPath) => probeOf({ sessionId, model, workspace, config, answerPath }),
      cwd: workspace,
      env: input.baseEnv,
      spawn: input.spawn ?? spawnGroupProcess,
      clock,
      signal: closed.signal,
    }).then((outcome) => scheduler.settle(outcome));
  };

  return {
    onTick(tick) {
      if (closed.signal.aborted) return;
      for (const action of scheduler.tick({ ambiguous: tick.ambiguous, sessionId: input.sessionId() })) {
        if (action.kind === "start") start(action.sessionId);
        else if (action.kind === "outcome") input.onOutcome(action.outcome);
        else input.onDead(action.reason);
      }
    },
    close: () => closed.abort(),
  };
}
