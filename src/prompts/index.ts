import finalize from "./general/finalize.md" with { type: "text" };
import handoffOnly from "./general/handoff_only.md" with { type: "text" };
import headless from "./general/headless.md" with { type: "text" };
import leftoverWork from "./general/leftover_work.md" with { type: "text" };
import junior from "./roles/junior.md" with { type: "text" };
import recovery from "./roles/recovery.md" with { type: "text" };
import senior from "./roles/senior.md" with { type: "text" };
import ui from "./roles/ui.md" with { type: "text" };
import verify from "./roles/verify.md" with { type: "text" };

// Prompt texts bundled into the binary. Trimmed on read so editors' trailing newlines don't matter.

const ROLES: Record<string, string> = { junior, recovery, senior, ui, verify };

export const ROLE_NAMES = Object.keys(ROLES).sort();

/** The embedded role text (case-insensitive name), or undefined for a role rally does not ship. */
export function embeddedRole(name: string): string | undefined {
  return ROLES[name.trim().toLowerCase()]?.trim();
}

export const GENERAL = {
  headless: headless.trim(),
  finalize: finalize.trim(),
  leftoverWork: leftoverWork.trim(),
  handoffOnly: handoffOnly.trim(),
} as const;
