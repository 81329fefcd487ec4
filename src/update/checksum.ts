import { RallyError } from "../errors.ts";

// SHA256SUMS in the sha256sum format: "<64 hex>  <name>" (binary mode "<hex> *<name>").

export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (m) sums.set(m[2]!.trim(), m[1]!.toLowerCase());
  }
  return sums;
}

export function expectedSum(sums: Map<string, string>, asset: string, tag: string): string {
  const sum = sums.get(asset);
  if (!sum) {
    throw new RallyError("UPDATE_NO_ASSET", `release ${tag} has no ${asset} binary for this platform (not listed in SHA256SUMS)`, "download a build for your platform from the releases page, or build from source");
  }
  return sum;
}

export function verifySum(asset: string, tag: string, expected: string, actual: string): void {
  if (expected !== actual) {
    throw new RallyError(
      "UPDATE_CHECKSUM",
      `checksum mismatch for ${asset} ${tag}: SHA256SUMS says ${expected.slice(0, 12)}…, the download is ${actual.slice(0, 12)}…`,
      "the download is corrupt or was tampered with; rally was not changed; try again later",
    );
  }
}
