// Test laps: `.laps/claim` — a bare id line in 0.8.x, one JSON object line in 0.9 mode (spec 09 §2.3, §8).
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { atomicWrite } from "./store.ts";
import type { FakeMode } from "./context.ts";

export function claimPath(root: string): string {
  return join(root, ".laps", "claim");
}

/** The claimed id ("" when none); accepts both the bare-id and the JSON shape. */
export function readClaimId(root: string): string {
  const path = claimPath(root);
  if (!existsSync(path)) return "";
  const text = readFileSync(path, "utf8").trim();
  if (!text.startsWith("{")) return text;
  try {
    const lap = (JSON.parse(text) as { lap?: unknown }).lap;
    return typeof lap === "string" ? lap : "";
  } catch {
    return "";
  }
}

export function writeClaim(root: string, id: string, mode: FakeMode, fileName = "laps.json"): void {
  const text = mode === "0.9"
    ? `${JSON.stringify({ lap: id, file: fileName, claimedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z") })}\n`
    : `${id}\n`;
  atomicWrite(claimPath(root), text);
}

export function clearClaim(root: string): void {
  rmSync(claimPath(root), { force: true });
}
