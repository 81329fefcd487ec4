import { RallyError } from "../errors.ts";

// Release version strings: "0.2.0" or "v0.2.0" on the wire, compared numerically.

const VERSION_RE = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/** "v1.2.3\n" → "1.2.3"; anything else is a malformed release. */
export function parseVersion(text: string, source: string): string {
  const trimmed = text.trim();
  if (!VERSION_RE.test(trimmed)) {
    const shown = trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
    throw new RallyError("UPDATE_BAD_RELEASE", `${source} does not hold a version (got "${shown}")`, "check RALLY_UPDATE_BASE_URL points at a rally release");
  }
  return trimmed.replace(/^v/, "");
}

/** <0 when a is older than b, 0 when equal, >0 when newer; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const pa = VERSION_RE.exec(a.trim());
  const pb = VERSION_RE.exec(b.trim());
  if (!pa || !pb) return a === b ? 0 : a < b ? -1 : 1;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  const [ra, rb] = [pa[4], pb[4]];
  if (ra === rb) return 0;
  if (ra === undefined) return 1;
  if (rb === undefined) return -1;
  return ra < rb ? -1 : 1;
}

export function withV(version: string): string {
  return version.startsWith("v") ? version : `v${version}`;
}
