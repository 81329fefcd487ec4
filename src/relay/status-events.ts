import type { StatusEvent } from "../routing/index.ts";
import { isoSeconds, type AgentStatusEvent } from "../state/schema.ts";

// agent_status.jsonl records (state's shape) ⇄ routing's in-memory status events.

export function toRoutingEvent(e: AgentStatusEvent): StatusEvent {
  return {
    key: { harness: e.agent_type, model: e.model ?? "" },
    event: e.event_type,
    at: Date.parse(e.timestamp),
    until: e.reset_at ? Date.parse(e.reset_at) : undefined,
    quota_scope: e.quota_scope,
  };
}

export function toStoreEvent(e: StatusEvent, relayId?: number): AgentStatusEvent {
  return {
    agent_type: e.key.harness,
    model: e.key.model || undefined,
    event_type: e.event,
    timestamp: isoSeconds(e.at),
    relay_id: relayId,
    reset_at: e.until !== undefined ? isoSeconds(e.until) : undefined,
    quota_scope: e.quota_scope,
  };
}
