import { readdirSync } from "node:fs";
import { RallyError } from "../errors.ts";

// Which release asset this machine runs: rally-<os>-<arch>[-musl][.exe], the names
// scripts/compile.ts --release produces and install.sh downloads.

// Set by scripts/compile.ts for each release target; a host build (tests) detects at run time.
declare const RALLY_RELEASE_ASSET: string | undefined;

export function builtAsset(): string | undefined {
  return typeof RALLY_RELEASE_ASSET === "string" && RALLY_RELEASE_ASSET ? RALLY_RELEASE_ASSET : undefined;
}

const OS: Record<string, string> = { linux: "linux", darwin: "darwin", win32: "windows" };
const ARCH: Record<string, string> = { x64: "x64", arm64: "arm64" };

/** The asset name for a platform; musl only exists for linux-x64. */
export function assetName(platform: string, arch: string, musl = false): string {
  const os = OS[platform];
  const cpu = ARCH[arch];
  if (!os) throw new RallyError("UPDATE_UNSUPPORTED_PLATFORM", `rally has no prebuilt binaries for the OS "${platform}"`, "build rally from source");
  if (!cpu) throw new RallyError("UPDATE_UNSUPPORTED_PLATFORM", `rally has no prebuilt binaries for the architecture "${arch}"`, "build rally from source");
  if (musl && !(os === "linux" && cpu === "x64")) {
    throw new RallyError("UPDATE_UNSUPPORTED_PLATFORM", `rally has no prebuilt musl binary for ${os}-${cpu}`, "build rally from source");
  }
  return `rally-${os}-${cpu}${musl ? "-musl" : ""}${os === "windows" ? ".exe" : ""}`;
}

/** A musl libc system (Alpine) has its dynamic loader at /lib/ld-musl-<arch>.so.1. */
export function isMuslSystem(libDir = "/lib"): boolean {
  try {
    return readdirSync(libDir).some((name) => name.startsWith("ld-musl-"));
  } catch {
    return false;
  }
}

/** The asset to update this binary from: the one it was built as, else this machine's. */
export function currentAsset(): string {
  return builtAsset() ?? assetName(process.platform, process.arch, process.platform === "linux" && isMuslSystem());
}
