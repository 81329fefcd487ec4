import { ANTIGRAVITY_FAILURES } from "../harness/antigravity/failures.ts";
import { CLAUDE_FAILURES } from "../harness/claude/failures.ts";
import { CODEX_FAILURES } from "../harness/codex/failures.ts";
import { GEMINI_FAILURES } from "../harness/gemini/failures.ts";
import { OPENCODE_FAILURES } from "../harness/opencode/failures.ts";
import { type BuiltinHarnessId, resolveBuiltinHarness } from "../harness/ids.ts";
import type { FailurePattern } from "./pattern.ts";
import { COMMON_FAILURES } from "./patterns.ts";

// Which rows apply to a harness: its own rows first (they know the CLI's wording), then the
// common rows. A custom harness gets the common rows only. When harness descriptors gain a
// `failures` field this map can read from them instead.

export const HARNESS_FAILURES: Readonly<Record<BuiltinHarnessId, readonly FailurePattern[]>> = {
  claude: CLAUDE_FAILURES,
  codex: CODEX_FAILURES,
  gemini: GEMINI_FAILURES,
  opencode: OPENCODE_FAILURES,
  antigravity: ANTIGRAVITY_FAILURES,
};

export function failureRowsFor(harness: string): readonly FailurePattern[] {
  const id = resolveBuiltinHarness(harness);
  return id ? [...HARNESS_FAILURES[id], ...COMMON_FAILURES] : COMMON_FAILURES;
}
