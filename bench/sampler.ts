// Supervision cost of the freeze sampler: an idle fake agent holding a few TCP connections,
// sampled every second by the real sampler over real /proc. Prints rally's CPU time as a share
// of one core (target ≤ 1%).  Usage: bun bench/sampler.ts [--seconds N] [--sockets N]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startTrySampler } from "../src/monitor/index.ts";
import { spawnIdleAgent, startSilentServer } from "../tests/support/fake-agent.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, sockets: { type: "string", default: "4" } },
});
const seconds = Number(values.seconds);
const sockets = Number(values.sockets);
if (process.platform !== "linux") {
  console.log("sampler bench: Linux only (/proc)");
  process.exit(0);
}

const server = startSilentServer();
const agent = spawnIdleAgent({ port: server.port, sockets, seconds: seconds + 30 });
const dir = mkdtempSync(join(tmpdir(), "rally-bench-sampler-"));
const logPath = join(dir, "try-1.log");
writeFileSync(logPath, "");

try {
  const deadline = performance.now() + 3000;
  while (server.accepted() < sockets && performance.now() < deadline) await Bun.sleep(20);
  // Baseline: this process idling (server + timers) without the sampler, to separate the two.
  const baseS = Math.min(seconds, 10);
  const b0 = process.cpuUsage();
  const bt0 = performance.now();
  await Bun.sleep(baseS * 1000);
  const bc = process.cpuUsage(b0);
  const baseShare = ((bc.user + bc.system) / 1000 / (performance.now() - bt0)) * 100;

  let lastConnections = 0;
  let ticks = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sampler = startTrySampler({
    pgid: agent.pid,
    logPath,
    thresholdS: 10 * seconds, // never freezes during the bench
    connectedWindowS: 10 * seconds,
  });
  const watch = setInterval(() => {
    const t = sampler.latest();
    if (t) lastConnections = t.row.connections;
  }, 1000);
  await Bun.sleep(seconds * 1000);
  clearInterval(watch);
  await sampler.stop();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  ticks = Math.round(wallMs / 1000);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const share = (cpuMs / wallMs) * 100;
  console.log(
    `sampler bench: ${seconds}s, ~${ticks} ticks, ${lastConnections} connections seen (want ${sockets}), ` +
      `cpu ${cpuMs.toFixed(1)} ms (user ${(cpu.user / 1000).toFixed(1)}, sys ${(cpu.system / 1000).toFixed(1)}) ` +
      `= ${share.toFixed(3)}% of one core (target ≤ 1%) ${share <= 1 ? "OK" : "OVER"}`,
  );
  console.log(
    `  idle baseline without sampler: ${baseShare.toFixed(3)}% over ${baseS}s → sampler alone ≈ ${(share - baseShare).toFixed(3)}%`,
  );
  process.exitCode = share <= 1 && lastConnections === sockets ? 0 : 1;
} finally {
  agent.kill();
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}
