import { releaseVersion } from "../version.ts";
import { fetchLatestVersion, type Fetch, releaseSource } from "./release-source.ts";
import { compareVersions, withV } from "./versions.ts";

// The background update notice: started with the command, read when it finishes. It never
// delays a command by more than the grace period and stays silent on any failure.

export const CHECK_TIMEOUT_MS = 2_000;
export const NOTICE_GRACE_MS = 25;
const SKIP_FIRST = new Set(["update", "version", "--version", "-v"]);

export interface UpdateNotice {
  /** The notice line, if the check has answered within graceMs from now. */
  take(graceMs?: number): Promise<string | undefined>;
}

export function updateCheckWanted(argv: string[], env: Record<string, string | undefined>, current: string | undefined): boolean {
  const off = env.RALLY_NO_UPDATE_CHECK;
  if (off !== undefined && off !== "" && off !== "0" && off !== "false") return false;
  return current !== undefined && !SKIP_FIRST.has(argv[0] ?? "");
}

export function startUpdateNotice(
  argv: string[],
  env: Record<string, string | undefined>,
  opts: { current?: string; fetch?: Fetch } = {},
): UpdateNotice | undefined {
  const current = "current" in opts ? opts.current : releaseVersion();
  if (!updateCheckWanted(argv, env, current)) return undefined;
  const source = { ...releaseSource(env, opts.fetch), metaTimeoutMs: CHECK_TIMEOUT_MS };
  let line: string | undefined;
  const settled = fetchLatestVersion(source).then(
    (latest) => {
      if (compareVersions(current!, latest) < 0) line = noticeLine(latest);
    },
    () => {}, // offline, slow or odd server: say nothing
  );
  return {
    async take(graceMs = NOTICE_GRACE_MS) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([settled, grace]);
      clearTimeout(timer);
      return line;
    },
  };
}

export function noticeLine(latest: string): string {
  return `new update available: ${withV(latest)} | to update run \`rally update\``;
}
