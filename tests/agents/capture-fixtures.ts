// Regenerates tests/fixtures/agents/<cli>/<step>.{stdout,stderr}.txt and <cli>/meta.json by
// running each real CLI against the scripted model server.
//
//   cd tests/agents && bun install && cd ../.. && bun tests/agents/capture-fixtures.ts [cli...] [--case name...]
//
// Bytes are the CLI's own, with two substitutions (recorded in meta.json): the per-run temp
// directory becomes /tmp/rally-agent-fixture, and the random server port becomes 43210.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Scenarios, startModelServer } from "../support/model-server.ts";
import { appliesTo, type CaseName, FIXTURE_CASES, HANG_HOLD_MS, runCase } from "./cases.ts";
import { AGENT_CLIS, type AgentCli } from "./cli-env.ts";
import { binPath, type CliRun } from "./run-cli.ts";

const FIXTURE_DIR = join(import.meta.dir, "..", "fixtures", "agents");
const FIXED_DIR = "/tmp/rally-agent-fixture";
const FIXED_PORT = 43210;

function parseArgs(argv: string[]): { clis: AgentCli[]; cases: CaseName[] } {
  const clis: AgentCli[] = [];
  const cases: CaseName[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--case") cases.push(argv[++i] as CaseName);
    else if ((AGENT_CLIS as readonly string[]).includes(a)) clis.push(a as AgentCli);
    else throw new Error(`unknown argument ${a}; usage: [${AGENT_CLIS.join("|")}...] [--case ${FIXTURE_CASES.join("|")}]`);
  }
  return { clis: clis.length ? clis : [...AGENT_CLIS], cases: cases.length ? cases : FIXTURE_CASES };
}

function version(cli: AgentCli): string {
  const r = Bun.spawnSync([binPath(cli), "--version"], { env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/tmp" }, stdin: "ignore" });
  return r.stdout.toString().trim();
}

async function main() {
  const { clis, cases } = parseArgs(process.argv.slice(2));
  const server = startModelServer({ scenario: Scenarios.text("unused") });
  const scrub = (dir: string) => (s: string) =>
    s.replaceAll(dir, FIXED_DIR).replaceAll(`127.0.0.1:${server.port}`, `127.0.0.1:${FIXED_PORT}`);
  try {
    for (const cli of clis) {
      const outDir = join(FIXTURE_DIR, cli);
      mkdirSync(outDir, { recursive: true });
      const metaPath = join(outDir, "meta.json");
      const previous = await Bun.file(metaPath).json().catch(() => ({}));
      const runs: Record<string, unknown> = { ...previous.runs };
      const requests: Record<string, string[]> = { ...previous.requests };
      for (const name of cases.filter((c) => appliesTo(cli, c))) {
        const before = server.requests.length;
        const result = await runCase(cli, name, server);
        const clean = scrub(result.sandbox.dir);
        for (const [step, run] of result.runs) {
          writeFileSync(join(outDir, `${step}.stdout.txt`), clean(run.stdout));
          writeFileSync(join(outDir, `${step}.stderr.txt`), clean(run.stderr));
          runs[step] = describeRun(run, clean);
        }
        requests[name] = server.requests.slice(before).map((r) => `${r.method} ${r.path}${r.reply ? ` -> ${r.reply}` : ""}`);
        result.sandbox[Symbol.dispose]();
        console.log(`${cli} ${name}: ${result.runs.map(([s, r]) => `${s} rc=${r.exitCode ?? r.signal} ${r.durationMs}ms`).join(", ")}`);
      }
      const meta = {
        cli,
        version: version(cli),
        capturedAt: new Date().toISOString(),
        substitutions: { [FIXED_DIR]: "per-run temp dir (holds home/ and repo/)", [`127.0.0.1:${FIXED_PORT}`]: "random model-server port" },
        notes: `hang/stall runs are killed (SIGKILL to the process group) ${HANG_HOLD_MS} ms after the server logged the model request.`,
        runs,
        requests,
      };
      writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
    }
  } finally {
    await server.stop();
  }
}

function describeRun(run: CliRun, clean: (s: string) => string) {
  return {
    argv: run.argv.map(clean),
    exitCode: run.exitCode,
    signal: run.signal,
    killedByHarness: run.killed,
    durationMs: run.durationMs,
    ...(run.establishedBeforeKill ? { establishedBeforeKill: run.establishedBeforeKill.map((h) => ({ ...h, remote: clean(h.remote) })) } : {}),
  };
}

await main();
