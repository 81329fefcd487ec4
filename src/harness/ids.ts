import { z } from "../zod.ts";

// Canonical ids of the built-in harnesses. Aliases map onto these and exist nowhere else.
export const BUILTIN_HARNESS_IDS = ["claude", "codex", "gemini", "opencode", "antigravity"] as const;
export const BuiltinHarnessId = z.enum(BUILTIN_HARNESS_IDS);
export type BuiltinHarnessId = z.infer<typeof BuiltinHarnessId>;

/** Short aliases accepted wherever a harness is named (`--agent`, `[routes]`, `mix`). */
export const HARNESS_ALIASES: Readonly<Record<string, BuiltinHarnessId>> = {
  cc: "claude",
  cx: "codex",
  ge: "gemini",
  op: "opencode",
  ag: "antigravity",
  agy: "antigravity",
};

/** The executable each built-in harness runs. */
export const HARNESS_BINARIES: Readonly<Record<BuiltinHarnessId, string>> = {
  claude: "claude",
  codex: "codex",
  gemini: "gemini",
  opencode: "opencode",
  antigravity: "agy",
};

export function isBuiltinHarnessId(name: string): name is BuiltinHarnessId {
  return (BUILTIN_HARNESS_IDS as readonly string[]).includes(name);
}

/** Resolve an alias or canonical built-in name; undefined for anything else. */
export function resolveBuiltinHarness(name: string): BuiltinHarnessId | undefined {
  const lower = name.toLowerCase();
  return HARNESS_ALIASES[lower] ?? (isBuiltinHarnessId(lower) ? lower : undefined);
}
