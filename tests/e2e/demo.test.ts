import { expect, test } from "bun:test";
import { join } from "pathe";
import { ROOT } from "../support/rally.ts";

// The README's first-run command must keep working: a real relay with the built-in demo agent.
test("`bun run demo` runs a real relay with no agent account", async () => {
  const proc = Bun.spawn([process.execPath, join(ROOT, "scripts", "demo.ts")], { cwd: ROOT, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  expect(err).not.toContain("error:");
  expect(code).toBe(0);
  expect(out).toContain("Relay complete.");
  expect(out).toContain("hello.txt: hello from rally");
  expect(out).toMatch(/rally: run 2 attempt 1 \(demo\)/);
}, 60_000);
