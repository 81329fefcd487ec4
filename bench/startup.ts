#!/usr/bin/env bun
// Start-up cost of the compiled rally against two reference programs built the same way:
//   empty   — a compiled Bun program that does nothing
//   config  — loads the same config with c12 and validates it with zod (what routes check must do),
//             built like rally (scripts/unused-deps.ts leaves out what c12 loads for JS configs)
// Runs are interleaved so machine noise hits every program alike; only ratios are printed.
// Targets: version and --help ≤ 3× empty; routes check ≤ 1.3× config.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { compileBinary } from "../scripts/compile.ts";

const ROOT = join(import.meta.dir, "..");
const RUNS = Number(process.argv[2] ?? 40);
const work = mkdtempSync(join(tmpdir(), "rally-bench-startup-"));

// The same build flags as scripts/compile.ts, so the bench measures what users run.
const compile = (entry: string, out: string) => compileBinary(entry, out);

writeFileSync(join(work, "empty.ts"), "export {};\n");
writeFileSync(
  join(work, "config-only.ts"),
  `import { loadConfig } from "c12";
import { ConfigFile } from "${join(ROOT, "src/config/schema.ts")}";
const r = await loadConfig({ cwd: process.cwd() + "/.rally", configFile: "config.toml", rcFile: false, globalRc: false,
  packageJson: false, dotenv: false, envName: false, extend: false, jiti: { import: () => Promise.reject() } as never });
ConfigFile.parse(r.config);
`,
);
// config-only.ts imports c12 from rally's node_modules, so it must live under ROOT to resolve.
const refDir = join(ROOT, "bench", ".build");
mkdirSync(refDir, { recursive: true });
writeFileSync(join(refDir, "config-only.ts"), await Bun.file(join(work, "config-only.ts")).text());

const [rally, empty, configOnly] = await Promise.all([
  compile(join(ROOT, "src/main.ts"), join(work, "rally")),
  compile(join(work, "empty.ts"), join(work, "empty")),
  compile(join(refDir, "config-only.ts"), join(work, "config-only")),
]);

// A realistic workspace: a git repo with a repo config (routes, harness models).
const ws = join(work, "ws");
mkdirSync(join(ws, ".rally"), { recursive: true });
Bun.spawnSync(["git", "init", "-q"], { cwd: ws });
writeFileSync(join(ws, ".rally", "config.toml"), 'schema_version = 2\n[defaults]\nmix = "cc cx"\n[routes]\ndefault = ["cc:2", "cx"]\nsenior = ["cc"]\n[harness.cc.models]\nhaiku = "claude-haiku-4-5"\n');
const env = { ...process.env, HOME: join(work, "home"), XDG_CONFIG_HOME: join(work, "home", ".config"), RALLY_NO_UPDATE_CHECK: "1" };

const cases: Record<string, string[]> = {
  empty: [empty],
  "config-only": [configOnly],
  "rally version": [rally, "version"],
  "rally --help": [rally, "--help"],
  "rally routes check": [rally, "routes", "check"],
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, argv] of Object.entries(cases)) {
    const t0 = performance.now();
    const r = Bun.spawnSync(argv, { cwd: ws, env, stdout: "ignore", stderr: "ignore" });
    times[name]!.push(performance.now() - t0);
    if (r.exitCode !== 0) throw new Error(`${name} exited ${r.exitCode}`);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, mean(v)]));
const row = (label: string, ratio: number, target: number) =>
  console.log(`${label.padEnd(36)} ${ratio.toFixed(2)}×  (target ≤ ${target}×) ${ratio <= target ? "ok" : "OVER"}`);
console.log(`startup ratios, compiled binaries, mean of ${RUNS} interleaved runs`);
console.log(`  context, not targets: means in ms  ${Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")}`);
row("rally version / empty", m["rally version"]! / m.empty!, 3);
row("rally --help / empty", m["rally --help"]! / m.empty!, 3);
row("rally routes check / config-only", m["rally routes check"]! / m["config-only"]!, 1.3);
rmSync(work, { recursive: true, force: true });
