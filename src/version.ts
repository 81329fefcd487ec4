import versionFile from "../VERSION" with { type: "text" };

// Set only by `scripts/compile.ts --release` (bun build --define); source and dev builds see undefined.
declare const RALLY_RELEASE_VERSION: string | undefined;

export function releaseVersion(): string | undefined {
  return typeof RALLY_RELEASE_VERSION === "string" && RALLY_RELEASE_VERSION ? RALLY_RELEASE_VERSION : undefined;
}

/** `v0.4.0` for a release build, `v0.4.0-dev` from source; VERSION is the single source. */
export function displayVersion(injected = releaseVersion(), file = versionFile): string {
  if (injected && injected !== "dev") return injected.startsWith("v") ? injected : `v${injected}`;
  const base = file.trim();
  return base ? `v${base}-dev` : "dev";
}

export function isDevBuild(): boolean {
  return releaseVersion() === undefined;
}
