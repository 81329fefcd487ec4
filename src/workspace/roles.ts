import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { parseTOML } from "confbox";
import { dirname, join } from "pathe";
import { userConfigPath, type Env } from "../config/paths.ts";
import { applyTomlEdits, type TomlEdit } from "../config/edit.ts";
import { embeddedRole, ROLE_NAMES } from "../prompts/index.ts";
import { USER_CONFIG_TEMPLATE } from "./templates.ts";

// `rally init roles`: role routes and default models in the user config, and the role prompt
// files: `.rally/agents/builtin/` is rally's (rewritten from the binary), `.rally/agents/user/`
// is the user's (overrides, never touched).

export const ROLE_DEFAULT_MODELS: Record<string, string> = {
  claude_model: "claude-opus-4-7",
  codex_model: "gpt-5.5",
  gemini_model: "gemini-3.1-pro-preview",
  opencode_model: "opencode-go/kimi-k2.6",
  antigravity_model: "Gemini 3.5 Flash (High)",
};

export const ROLE_DEFAULT_ROUTES: Record<string, string[]> = {
  default: ["opencode"],
  junior: ["opencode"],
  senior: ["claude"],
  ui: ["gemini"],
  verify: ["codex"],
  recovery: ["claude"],
};

const USER_README = `Put your own role prompts here as <ROLE>.md (for example SENIOR.md or senior.md).
A file here replaces rally's built-in prompt for that role; files in ../builtin/ are rewritten by rally.
`;

export function initRoles(workspace: string, env: Env): string[] {
  const out: string[] = [];
  const path = userConfigPath(env);
  const text = existsSync(path) ? readFileSync(path, "utf8") : USER_CONFIG_TEMPLATE;
  const edits = missingRoleDefaults(parseTOML<Record<string, Record<string, unknown>>>(text));
  if (edits.length) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, applyTomlEdits(text, edits, path));
    out.push(`Updated ${path} with default role routing.`);
  } else {
    out.push(`${path} already has role routing defaults.`);
  }
  const written = syncRoleFiles(workspace);
  out.push(
    written > 0
      ? `Wrote ${written} built-in role files to .rally/agents/builtin/ (override them in .rally/agents/user/).`
      : ".rally/agents/builtin/ role files are up to date.",
  );
  return out;
}

function missingRoleDefaults(doc: Record<string, Record<string, unknown>>): TomlEdit[] {
  const edits: TomlEdit[] = [];
  const defaults = doc.defaults ?? {};
  for (const [key, model] of Object.entries(ROLE_DEFAULT_MODELS)) {
    const current = defaults[key] ?? doc[key];
    if (typeof current !== "string" || current === "") edits.push({ table: "defaults", key, value: model });
  }
  const routes = Object.keys(doc.routes ?? {}).map((k) => k.toLowerCase());
  for (const [role, entries] of Object.entries(ROLE_DEFAULT_ROUTES)) {
    if (!routes.includes(role)) edits.push({ table: "routes", key: role, value: entries });
  }
  return edits;
}

/**
 * Rewrite `.rally/agents/builtin/` from the binary and make sure `user/` exists. Legacy flat
 * `.rally/agents/<role>.md` files move to `user/` unless they are unedited copies of a shipped text.
 * Returns how many builtin files changed.
 */
export function syncRoleFiles(workspace: string): number {
  const agents = join(workspace, ".rally", "agents");
  const builtin = join(agents, "builtin");
  const user = join(agents, "user");
  mkdirSync(builtin, { recursive: true });
  mkdirSync(user, { recursive: true });
  for (const name of readdirSync(agents)) {
    if (!name.endsWith(".md")) continue;
    const from = join(agents, name);
    const shipped = embeddedRole(name.slice(0, -3));
    if (shipped !== undefined && readFileSync(from, "utf8").trim() === shipped) unlinkSync(from);
    else if (!existsSync(join(user, name))) renameSync(from, join(user, name));
  }
  if (!existsSync(join(user, "README.md"))) writeFileSync(join(user, "README.md"), USER_README);
  let written = 0;
  for (const role of ROLE_NAMES) {
    const file = join(builtin, `${role}.md`);
    const body = embeddedRole(role)! + "\n";
    if (existsSync(file) && readFileSync(file, "utf8") === body) continue;
    writeFileSync(file, body);
    written++;
  }
  return written;
}

/** Role prompt lookup order: user override, builtin file, embedded text (case-insensitive). */
export function readRoleFile(workspace: string, role: string): { text: string; source: "user" | "builtin" | "embedded"; path?: string } | undefined {
  const lower = role.trim().toLowerCase();
  for (const source of ["user", "builtin"] as const) {
    const dir = join(workspace, ".rally", "agents", source);
    if (!existsSync(dir)) continue;
    const name = readdirSync(dir).find((f) => f.toLowerCase() === `${lower}.md`);
    if (name) return { text: readFileSync(join(dir, name), "utf8").trim(), source, path: join(dir, name) };
  }
  const text = embeddedRole(lower);
  return text === undefined ? undefined : { text, source: "embedded" };
}
