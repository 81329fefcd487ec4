import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "pathe";
import { commitPaths, findRepoRoot, git } from "../git/git.ts";
import { RallyError } from "../errors.ts";
import { userConfigPath, type Env } from "../config/paths.ts";
import { migrateLegacyState } from "./legacy-state.ts";
import { RALLY_GITIGNORE, RALLY_README, REPO_CONFIG_TEMPLATE, USER_CONFIG_TEMPLATE } from "./templates.ts";

/** What `rally init` did, as lines for stdout and stderr; the command only prints them. */
export interface InitReport {
  workspace: string;
  out: string[];
  err: string[];
}

const SETUP_FILES = [".rally/.gitignore", ".rally/config.toml", ".rally/README.md"];
const STATE_IGNORES = new Set(["state", "state/", "/state", "/state/"]);

export async function initWorkspace(cwd: string, env: Env): Promise<InitReport> {
  const report: InitReport = { workspace: cwd, out: [], err: [] };
  let root = await findRepoRoot(cwd);
  if (!root) {
    const r = await git(cwd, ["init", "-q"]);
    if (r.code !== 0) throw new RallyError("GIT_INIT_FAILED", `git init failed: ${r.stderr.trim()}`, "install git or run rally inside an existing repo");
    report.out.push("Initialized empty Git repository");
    root = (await findRepoRoot(cwd)) ?? cwd;
  }
  report.workspace = root;
  const rally = join(root, ".rally");
  mkdirSync(join(rally, "state"), { recursive: true });
  report.err.push(...migrateLegacyState(rally));

  ensureGitignore(join(rally, ".gitignore"));
  const config = join(rally, "config.toml");
  if (!existsSync(config)) {
    const legacy = join(root, "rally.toml");
    if (existsSync(legacy)) {
      writeFileSync(config, readFileSync(legacy));
      report.out.push("Migrated legacy rally.toml to .rally/config.toml (auto-migration will be removed in a future version)");
    } else {
      writeFileSync(config, REPO_CONFIG_TEMPLATE);
    }
  }
  const readme = join(rally, "README.md");
  if (!existsSync(readme)) writeFileSync(readme, RALLY_README);

  const userConfig = userConfigPath(env);
  if (!existsSync(userConfig)) {
    mkdirSync(dirname(userConfig), { recursive: true });
    writeFileSync(userConfig, USER_CONFIG_TEMPLATE);
    report.out.push(`Created user-level config at ${userConfig}`);
  }

  const commit = await commitPaths(root, SETUP_FILES.filter((p) => existsSync(join(root, p))), "rally: initialize workspace");
  if (commit.committed) report.out.push("Committed workspace setup.");
  if (commit.error) report.err.push(`warning: auto-commit setup files: ${commit.error}`);
  report.out.push("Rally workspace initialized.");
  return report;
}

/** Make sure `.rally/.gitignore` ignores `state/`, keeping whatever else the user put there. */
function ensureGitignore(path: string): void {
  if (!existsSync(path)) {
    writeFileSync(path, RALLY_GITIGNORE);
    return;
  }
  const text = readFileSync(path, "utf8");
  if (text.split("\n").some((line) => STATE_IGNORES.has(line.trim()))) return;
  writeFileSync(path, text + (text === "" || text.endsWith("\n") ? "" : "\n") + RALLY_GITIGNORE);
}
