import { keyId, type AgentKey } from "./agent-status.ts";

// Quota scope: the usage bucket a runner draws from. A usage limit benches every key of the scope.

/** `[providers]` resolved: which runner belongs to which provider, and which providers are off. */
export type ProviderIndex = {
  /** keyId → provider name */
  owner: Map<string, string>;
  disabled: Set<string>;
  /** provider name → members, in resolution order */
  members: Map<string, AgentKey[]>;
};

export const EMPTY_PROVIDERS: ProviderIndex = { owner: new Map(), disabled: new Set(), members: new Map() };

const ANTIGRAVITY_FAMILIES = ["claude", "flash", "pro"] as const;

/** The 0.10 inference: opencode per provider prefix, antigravity per model family, else per harness. */
export function inferredScope(harness: string, model: string): string {
  const h = harness.toLowerCase();
  if (h === "antigravity") {
    const label = model.toLowerCase();
    const family = ANTIGRAVITY_FAMILIES.find((f) => label.includes(f));
    return `${harness}:${family ?? label}`;
  }
  if (h === "opencode") {
    const slash = model.indexOf("/");
    return `${harness}:${slash >= 0 ? model.slice(0, slash) : model}`;
  }
  return harness;
}

export function quotaScope(key: AgentKey, providers: ProviderIndex = EMPTY_PROVIDERS): string {
  const owner = providers.owner.get(keyId(key));
  return owner !== undefined ? `provider:${owner}` : inferredScope(key.harness, key.model);
}

/** The disabled provider owning this runner, if any. */
export function disabledProviderOf(key: AgentKey, providers: ProviderIndex): string | undefined {
  const owner = providers.owner.get(keyId(key));
  return owner !== undefined && providers.disabled.has(owner) ? owner : undefined;
}
