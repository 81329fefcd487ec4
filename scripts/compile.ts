#!/usr/bin/env bun
// Build standalone rally binaries with `bun build --compile`.
//   bun scripts/compile.ts            all dev targets into dist/ (version reads v<VERSION>-dev)
//   bun scripts/compile.ts --host     only this machine's target (tests, smoke runs)
//   bun scripts/compile.ts --release  all release targets, version injected, SHA256SUMS
// Cross targets fetch Bun's runtime for that platform from the npm registry once, then cache it.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "pathe";

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

/**
 * Compile one entry point. ESM + splitting keeps each lazily imported command in its own chunk,
 * and bytecode skips parsing at start-up: together they keep `rally version` near an empty program.
 */
export async function compileBinary(entry: string, outfile: string, opts: { bunTarget?: string; release?: boolean } = {}): Promise<string> {
  const version = readFileSync(join(ROOT, "VERSION"), "utf8").trim();
  const argv = [
    process.execPath, "build", entry, "--compile", "--format=esm", "--splitting", "--bytecode", "--minify", `--outfile=${outfile}`,
    ...(opts.bunTarget ? [`--target=${opts.bunTarget}`] : []),
    ...(opts.release ? [`--define=RALLY_RELEASE_VERSION=${JSON.stringify(version)}`] : []),
  ];
  const proc = Bun.spawn(argv, { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`bun build of ${entry} for ${opts.bunTarget ?? "host"} failed:\n${stderr}`);
  return outfile;
}

function build(target: Target): Promise<string> {
  return compileBinary(join(ROOT, "src/main.ts"), join(outDir, target.name), { bunTarget: target.bunTarget, release });
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function main(): Promise<void> {
  if (release) rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const rows: [string, string][] = [];
  const sums: string[] = [];
  for (const target of selectedTargets()) {
    const file = await build(target);
    rows.push([target.name, `${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB`]);
    if (release) sums.push(`${sha256(file)}  ${target.name}`);
  }
  if (release) writeFileSync(join(outDir, "SHA256SUMS"), sums.join("\n") + "\n");
  const width = Math.max(...rows.map(([n]) => n.length)) + 2;
  for (const [name, size] of rows) console.log(`${name.padEnd(width)}${size.padStart(9)}`);
  if (release) console.log(`SHA256SUMS written to ${join(outDir, "SHA256SUMS")}`);
}

if (import.meta.main) await main();
