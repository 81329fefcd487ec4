import { join } from "pathe";

export type Env = Readonly<Record<string, string | undefined>>;

/** `$XDG_CONFIG_HOME/rally/config.toml`, else `~/.config/rally/config.toml`. */
export function userConfigPath(env: Env): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const base = xdg ? xdg : join(env.HOME ?? "", ".config");
  return join(base, "rally", "config.toml");
}

export function repoConfigPath(workspace: string): string {
  return join(workspace, ".rally", "config.toml");
}

/** How a config path is shown in messages: repo-relative for the repo file, `~/…` under HOME. */
export function displayPath(path: string, workspace: string, env: Env): string {
  if (path.startsWith(workspace + "/")) return path.slice(workspace.length + 1);
  const home = env.HOME;
  if (home && path.startsWith(home + "/")) return "~/" + path.slice(home.length + 1);
  return path;
}
