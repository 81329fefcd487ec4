import { antigravityHarness } from "./antigravity/index.ts";
import { claudeHarness } from "./claude/index.ts";
import { codexHarness } from "./codex/index.ts";
import { geminiHarness } from "./gemini/index.ts";
import type { BuiltinHarnessId } from "./ids.ts";
import { opencodeHarness } from "./opencode/index.ts";
import type { HarnessDescriptor } from "./types.ts";

// The built-in harness descriptors, one folder each (see src/harness/<id>/). Adding a harness is
// one folder plus one line here.

export const BUILTIN_DESCRIPTORS: Record<BuiltinHarnessId, HarnessDescriptor> = {
  claude: claudeHarness,
  codex: codexHarness,
  gemini: geminiHarness,
  opencode: opencodeHarness,
  antigravity: antigravityHarness,
};
