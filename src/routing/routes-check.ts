import type { Config } from "../config/schema.ts";
import { SCHEMA_VERSION } from "../config/schema.ts";
import { isRallyError } from "../errors.ts";
import { buildRouteLane } from "./lanes.ts";
import { buildProviderIndex } from "./providers.ts";
import { checkReasoningValues } from "./reasoning.ts";
import { runnerLabel } from "./resolve-agent.ts";
import { validateRoutingConfig, type RoutingConfig } from "./validate.ts";

// `rally routes check`: the whole report as text. The command only reads files and prints.

export type RoleFile = { name: string; source: "embedded" | "custom"; path?: string; text: string };

export type RoutesCheckInput = {
  /** Every `assignee` value found in .laps/laps.json (any case); empty without laps. */
  lapsAssignees: readonly string[];
  /** Embedded roles merged with `.rally/agents/*.md` (a custom file replaces its embedded twin). */
  roleFiles: readonly RoleFile[];
  /** Loader notes (deprecations etc.), printed as `warning: <note>`. */
  notes?: readonly string[];
  /** Embedded snippets quoted by the advisory blocks. */
  snippets?: { finalize: string; headless: string };
};

export type RoutesCheckReport = { ok: boolean; stdout: string; errors: string[] };

export type RoutesCheckConfig = RoutingConfig & Pick<Config, "schema_version">;

const ADVISORY_TERMS = ["laps done", "laps handoff", "laps wrapup", "headless"] as const;

function tokenEstimate(role: RoleFile): number {
  const text = role.source === "custom" ? role.text : role.text.trim();
  return Math.floor(new TextEncoder().encode(text).length / 4);
}

function rolePath(role: RoleFile): string {
  return role.path ?? `.rally/agents/${role.name}.md`;
}

function roleSection(roles: readonly RoleFile[]): string[] {
  const sorted = [...roles].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  return sorted.map((r) => {
    const where = r.source === "custom" ? `custom, ${rolePath(r)}` : "embedded";
    return `- ${r.name.toLowerCase()}: ~${tokenEstimate(r)} tokens (${where})`;
  });
}

function advisories(roles: readonly RoleFile[], snippets: RoutesCheckInput["snippets"]): string[] {
  const blocks: string[] = [];
  for (const role of [...roles].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))) {
    if (role.source !== "custom") continue;
    const lower = role.text.toLowerCase();
    const term = ADVISORY_TERMS.find((t) => lower.includes(t));
    if (!term) continue;
    const snippetName = term === "headless" ? "headless.md" : "general/finalize.md";
    const snippet = (term === "headless" ? snippets?.headless : snippets?.finalize) ?? "";
    blocks.push(
      "",
      `advisory: custom role prompt ${rolePath(role)} references "${term}".`,
      "This may overlap with the shared guidance which is automatically injected.",
      `For comparison, the embedded ${snippetName} snippet is:`,
      "---",
      snippet.trimEnd(),
      "---",
    );
  }
  return blocks;
}

function providerSection(config: RoutingConfig): string[] {
  const { index } = buildProviderIndex(config);
  if (index.members.size === 0) return [];
  const lines = ["", "providers (shared-quota groups):"];
  for (const [name, members] of [...index.members].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const tag = index.disabled.has(name) ? " (disabled)" : "";
    lines.push(`- ${name}${tag}: ${members.map(runnerLabel).join(", ")}`);
  }
  return lines;
}

function render(lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

function failed(summary: string[], error: string): RoutesCheckReport {
  return { ok: false, stdout: render(summary), errors: [`routes check: ${error}`] };
}

/** Build the report. `ok: false` means exit 1 with `errors` on stderr (stdout still printed). */
export function routesCheckReport(config: RoutesCheckConfig, input: RoutesCheckInput): RoutesCheckReport {
  const names = Object.keys(config.routes).sort();
  const summary = ["routes check summary:"];
  if (names.length === 0) summary.push("- no routes declared");
  const warnings: string[] = [];
  for (const name of names) {
    const routeWarnings: string[] = [];
    try {
      buildRouteLane(name, config.routes[name]!, config, routeWarnings);
    } catch (err) {
      if (!isRallyError(err)) throw err;
      return failed(summary, err.message);
    }
    const n = config.routes[name]!.length;
    summary.push(`- ${name}: ${n} ${n === 1 ? "entry" : "entries"}`);
    warnings.push(...routeWarnings.map((w) => `warning: ${w}`));
  }
  const loadErrors = validateRoutingConfig(config);
  if (loadErrors.errors.length > 0) return failed(summary, loadErrors.errors[0]!);
  const reasoning = checkReasoningValues(config);
  if (reasoning.errors.length > 0) return failed(summary, reasoning.errors[0]!);

  warnings.push(...reasoning.warnings);
  warnings.push(...[...(input.notes ?? []), ...loadErrors.notes].map((n) => `warning: ${n}`));
  const v = config.schema_version;
  if (v !== undefined && v !== 0 && v !== SCHEMA_VERSION) {
    warnings.push(`warning: config: schema_version is ${v}, expected ${SCHEMA_VERSION} — proceed with caution`);
  }
  if (names.length > 0 && !names.some((n) => n.toLowerCase() === "default")) {
    warnings.push("warning: no default route is configured; laps without a matching assignee will fail at run-time");
  }
  const assignees = new Set(input.lapsAssignees.map((a) => a.trim().toLowerCase()));
  const infos = names
    .filter((n) => n.toLowerCase() !== "default" && !assignees.has(n.toLowerCase()))
    .map((n) => `info: route "${n}" is declared but not referenced by any current lap assignee`);

  const lines = [...summary, ...providerSection(config), "", "role prompt diagnostics:", ...roleSection(input.roleFiles)];
  if (warnings.length + infos.length > 0) lines.push("", ...warnings, ...infos);
  lines.push(...advisories(input.roleFiles, input.snippets));
  return { ok: true, stdout: render(lines), errors: [] };
}
