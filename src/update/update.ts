import { RallyError } from "../errors.ts";
import { expectedSum, verifySum } from "./checksum.ts";
import { discard, probe, promote, resolveTarget, stageDownload } from "./install-binary.ts";
import { currentAsset } from "./platform.ts";
import { assetUrl, fetchLatestVersion, fetchSums, openAsset, RELEASES_PAGE, type ReleaseSource } from "./release-source.ts";
import { compareVersions, withV } from "./versions.ts";

// `rally update`: ask the release source for the latest version, download this platform's
// binary, check it against SHA256SUMS and that it runs, then swap it in. The old binary stays
// in place on every failure.

export interface UpdateOptions {
  /** The injected release version; undefined for a source or dev build. */
  current: string | undefined;
  /** What `rally version` prints for the running build, e.g. v0.1.0-dev. */
  display: string;
  /** The binary to replace (normally the running executable). */
  target: string;
  source: ReleaseSource;
  env: Record<string, string | undefined>;
  /** Release asset for this machine; default: the one this binary was built as. */
  asset?: string;
}

export type UpdateResult =
  | { kind: "updated"; from: string; to: string }
  | { kind: "current"; version: string }
  | { kind: "ahead"; version: string; latest: string };

export async function updateSelf(opts: UpdateOptions): Promise<UpdateResult> {
  if (!opts.current) throw devBuildError(opts.display);
  const latest = await fetchLatestVersion(opts.source);
  const order = compareVersions(opts.current, latest);
  if (order === 0) return { kind: "current", version: withV(latest) };
  if (order > 0) return { kind: "ahead", version: withV(opts.current), latest: withV(latest) };

  const asset = opts.asset ?? currentAsset();
  const tag = withV(latest);
  const target = resolveTarget(opts.target);
  const expected = expectedSum(await fetchSums(opts.source, latest), asset, tag);
  const url = assetUrl(opts.source.base, latest, asset);
  const staged = await stageDownload(target, await openAsset(opts.source, latest, asset), url);
  try {
    verifySum(asset, tag, expected, staged.sha256);
    await probe(staged.path, tag, opts.env);
    promote(staged.path, target);
  } finally {
    discard(staged.path); // a no-op after a successful rename
  }
  return { kind: "updated", from: opts.display, to: tag };
}

export function describeUpdate(result: UpdateResult): string {
  switch (result.kind) {
    case "updated":
      return `Updated rally from ${result.from} to ${result.to}`;
    case "current":
      return `rally is already up to date (${result.version})`;
    case "ahead":
      return `rally is already up to date (${result.version} is newer than the latest release, ${result.latest})`;
  }
}

export function devBuildError(display: string): RallyError {
  return new RallyError(
    "UPDATE_DEV_BUILD",
    `this rally (${display}) is a development build and cannot update itself`,
    `update a source checkout with \`git pull && bun install\`, or install a release binary with install.sh from ${RELEASES_PAGE}`,
  );
}
