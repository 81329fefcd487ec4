import { loadConfig, type LoadedConfig } from "../config/load.ts";
import { resolveWorkspace } from "../git/workspace.ts";
import { validateRoutingConfig } from "../routing/index.ts";
import { warn } from "./output.ts";

export interface WorkspaceConfig {
  workspace: string;
  isRepo: boolean;
  loaded: LoadedConfig;
}

/** Resolve the workspace and load its layered config; optionally print the load-time warnings. */
export async function loadWorkspaceConfig(opts: { printWarnings?: boolean } = {}): Promise<WorkspaceConfig> {
  const { root, isRepo } = await resolveWorkspace(process.cwd());
  const loaded = await loadConfig({ workspace: root, env: process.env, validateRouting: validateRoutingConfig });
  if (opts.printWarnings) configWarnings(loaded).forEach((w) => warn(w));
  return { workspace: root, isRepo, loaded };
}

/** Every load-time warning in display order: notes, schema version, unknown keys. */
export function configWarnings(loaded: LoadedConfig): string[] {
  return [...loaded.notes, ...(loaded.schemaWarning ? [loaded.schemaWarning] : []), ...loaded.unknownKeys];
}
