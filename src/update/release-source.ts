import { RallyError } from "../errors.ts";
import { parseSums } from "./checksum.ts";
import { parseVersion, withV } from "./versions.ts";

// Where releases come from. One layout serves GitHub releases and any static HTTP server:
//   <base>/latest/download/VERSION            the latest version, e.g. "0.2.0"
//   <base>/download/v<version>/<asset>        rally-<os>-<arch>[-musl][.exe]
//   <base>/download/v<version>/SHA256SUMS     sha256sum lines for every binary of that release
// install.sh reads the same paths (RALLY_INSTALL_BASE_URL is the same <base>).

/** Placeholder GitHub slug until the repository's home is settled; install.sh has the same default. */
export const RALLY_REPO = "rally-dev/rally";
export const DEFAULT_RELEASE_BASE = `https://github.com/${RALLY_REPO}/releases`;
export const RELEASES_PAGE = DEFAULT_RELEASE_BASE;

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface ReleaseSource {
  base: string;
  fetch: Fetch;
  /** Limit for the small metadata requests (VERSION, SHA256SUMS). */
  metaTimeoutMs: number;
  /** Limit for the whole binary download. */
  downloadTimeoutMs: number;
}

export function releaseSource(env: Record<string, string | undefined>, fetchImpl: Fetch = fetch): ReleaseSource {
  const base = (env.RALLY_UPDATE_BASE_URL || DEFAULT_RELEASE_BASE).replace(/\/+$/, "");
  return { base, fetch: fetchImpl, metaTimeoutMs: 30_000, downloadTimeoutMs: 10 * 60_000 };
}

export const latestVersionUrl = (base: string) => `${base}/latest/download/VERSION`;
export const assetUrl = (base: string, version: string, asset: string) => `${base}/download/${withV(version)}/${asset}`;

/** GET a URL; network failures and non-2xx answers become one-line RallyErrors. 404 goes to onMissing. */
async function get(source: ReleaseSource, url: string, timeoutMs: number, onMissing: () => RallyError): Promise<Response> {
  let res: Response;
  try {
    res = await source.fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch (err) {
    throw networkError(url, err, timeoutMs);
  }
  if (res.status === 404) throw onMissing();
  if (!res.ok) {
    throw new RallyError("UPDATE_HTTP", `the release server answered HTTP ${res.status} for ${url}`, "try again later; rally was not changed");
  }
  return res;
}

export function networkError(url: string, err: unknown, timeoutMs: number): RallyError {
  const e = err as { name?: string; code?: string; message?: string };
  const why =
    e?.name === "TimeoutError" ? `timed out after ${Math.round(timeoutMs / 1000)}s`
    : e?.code === "ENOTFOUND" ? `cannot resolve ${new URL(url).hostname}`
    : e?.code === "ECONNREFUSED" ? "connection refused"
    : (e?.message ?? String(err));
  return new RallyError(
    "UPDATE_NETWORK",
    `could not reach the release server at ${url}: ${why}`,
    "check your network connection, or RALLY_UPDATE_BASE_URL if you set it, then run `rally update` again",
  );
}

export async function fetchLatestVersion(source: ReleaseSource): Promise<string> {
  const url = latestVersionUrl(source.base);
  const res = await get(source, url, source.metaTimeoutMs, () =>
    new RallyError("UPDATE_NO_RELEASE", `no published rally release found (${url} returned HTTP 404)`, `check RALLY_UPDATE_BASE_URL, or see ${RELEASES_PAGE}`),
  );
  return parseVersion(await readText(res, url, source.metaTimeoutMs), url);
}

export async function fetchSums(source: ReleaseSource, version: string): Promise<Map<string, string>> {
  const url = assetUrl(source.base, version, "SHA256SUMS");
  const res = await get(source, url, source.metaTimeoutMs, () =>
    new RallyError("UPDATE_NO_CHECKSUMS", `release ${withV(version)} has no SHA256SUMS (${url} returned HTTP 404)`, "rally only installs verified binaries; try again later"),
  );
  return parseSums(await readText(res, url, source.metaTimeoutMs));
}

export async function openAsset(source: ReleaseSource, version: string, asset: string): Promise<ReadableStream<Uint8Array>> {
  const url = assetUrl(source.base, version, asset);
  const res = await get(source, url, source.downloadTimeoutMs, () =>
    new RallyError("UPDATE_NO_ASSET", `release ${withV(version)} has no ${asset} binary for this platform (HTTP 404)`, `download a build by hand from ${RELEASES_PAGE}, or build from source`),
  );
  if (!res.body) throw new RallyError("UPDATE_HTTP", `the release server sent an empty body for ${url}`, "try again later; rally was not changed");
  return res.body;
}

async function readText(res: Response, url: string, timeoutMs: number): Promise<string> {
  try {
    return await res.text();
  } catch (err) {
    throw networkError(url, err, timeoutMs);
  }
}
