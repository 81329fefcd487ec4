#!/usr/bin/env bun
// Build standalone rally binaries with `bun build --compile`.
//   bun scripts/compile.ts            all dev targets into dist/ (version reads v<VERSION>-dev)
//   bun scripts/compile.ts --host     only this machine's target (tests, smoke runs)
//   bun scripts/compile.ts --release  all release targets, version injected, SHA256SUMS
// Cross targets fetch Bun's runtime for that platform from the npm registry once, then cache it.
// A release dist/ is exactly the set of release assets: the six binaries, SHA256SUMS (binaries),
// VERSION (what `rally update` and install.sh read from .../latest/download/) and install.sh.

import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "pathe";
import { leaveOutUnusedDependencies } from "./unused-deps.ts";

const ROOT = join(import.meta.dir, "..");
const args = new Set(process.argv.slice(2));
const release = args.has("--release");
const outDir = args.has("--out") ? resolve(process.argv[process.argv.indexOf("--out") + 1]!) : join(ROOT, "dist");

interface Target {
  name: string; // rally-<os>-<arch>
  bunTarget: string;
}

const TARGETS: Target[] = [
  { name: "rally-linux-x64", bunTarget: "bun-linux-x64" },
  { name: "rally-linux-arm64", bunTarget: "bun-linux-arm64" },
  { name: "rally-linux-x64-musl", bunTarget: "bun-linux-x64-musl" },
  { name: "rally-darwin-x64", bunTarget: "bun-darwin-x64" },
  { name: "rally-darwin-arm64", bunTarget: "bun-darwin-arm64" },
  { name: "rally-windows-x64.exe", bunTarget: "bun-windows-x64" },
];

export function hostTarget(): Target {
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  const os = process.platform === "win32" ? "windows" : process.platform;
  const name = `rally-${os}-${arch}${os === "windows" ? ".exe" : ""}`;
  return { name, bunTarget: `bun-${os}-${arch}` };
}

function selectedTargets(): Target[] {
  if (args.has("--host")) return [hostTarget()];
  // musl is a release-only extra; dev builds cover the five mainstream platforms.
  return release ? TARGETS : TARGETS.filter((t) => !t.name.includes("musl"));
}

export interface CompileOptions {
  /** Bun cross-compilation target, e.g. bun-linux-x64-musl; default: this machine. */
  bunTarget?: string;
  /** Inject the version (no `-dev`) so the binary is a release build. */
  release?: boolean;
  /** Override the injected version (tests build "old" and "new" releases); default: VERSION. */
  version?: string;
  /** The release asset this binary ships as, so `rally update` fetches the same one. */
  asset?: string;
}

/**
 * Compile one entry point. ESM + splitting keeps each lazily imported command in its own chunk,
 * and bytecode skips parsing at start-up: together they keep `rally version` near an empty program.
 * No --sourcemap: a release binary carries only the minified code and its bytecode.
 */
export async function compileBinary(entry: string, outfile: string, opts: CompileOptions = {}): Promise<string> {
  const version = opts.version ?? readFileSync(join(ROOT, "VERSION"), "utf8").trim();
  const define: Record<string, string> = opts.release
    ? { RALLY_RELEASE_VERSION: JSON.stringify(version), ...(opts.asset ? { RALLY_RELEASE_ASSET: JSON.stringify(opts.asset) } : {}) }
    : {};
  let result: Awaited<ReturnType<typeof Bun.build>>;
  try {
    result = await Bun.build({
      entrypoints: [resolve(ROOT, entry)],
      compile: { outfile, ...(opts.bunTarget ? { target: opts.bunTarget as Bun.Build.CompileTarget } : {}) },
      format: "esm",
      splitting: true,
      bytecode: true,
      minify: true,
      define,
      plugins: [leaveOutUnusedDependencies],
      throw: true,
    });
  } catch (err) {
    throw new Error(`bun build of ${entry} for ${opts.bunTarget ?? "host"} failed:\n${(err as AggregateError).errors?.map(String).join("\n") ?? err}`);
  }
  return result.outputs[0]?.path ?? outfile;
}

function build(target: Target): Promise<string> {
  return compileBinary(join(ROOT, "src/main.ts"), join(outDir, target.name), { bunTarget: target.bunTarget, release, asset: target.name });
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  // A release dir holds exactly the release assets (CI uploads dist/*): clear old ones, and
  // only those, so a mistaken --out never deletes anything else.
  if (release) for (const f of readdirSync(outDir)) if (/^rally-|^(SHA256SUMS|VERSION|install\.sh)$/.test(f)) rmSync(join(outDir, f), { recursive: true, force: true });
  const rows: [string, string][] = [];
  const sums: string[] = [];
  for (const target of selectedTargets()) {
    const file = await build(target);
    rows.push([target.name, `${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB`]);
    if (release) sums.push(`${sha256(file)}  ${target.name}`);
  }
  if (release) {
    writeFileSync(join(outDir, "SHA256SUMS"), sums.join("\n") + "\n");
    writeFileSync(join(outDir, "VERSION"), readFileSync(join(ROOT, "VERSION"), "utf8").trim() + "\n");
    copyFileSync(join(ROOT, "install.sh"), join(outDir, "install.sh"));
  }
  const width = Math.max(...rows.map(([n]) => n.length)) + 2;
  for (const [name, size] of rows) console.log(`${name.padEnd(width)}${size.padStart(9)}`);
  if (release) console.log(`SHA256SUMS, VERSION and install.sh written to ${outDir}`);
}

if (import.meta.main) await main();
