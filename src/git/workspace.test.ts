import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { prefetchWorkspace, resolveWorkspace } from "./workspace.ts";

const dir = realpathSync(mkdtempSync(join(tmpdir(), "rally-workspace-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a prefetched lookup is used once, for its own directory only", async () => {
  const plain = join(dir, "plain");
  const other = join(dir, "other");
  mkdirSync(plain);
  mkdirSync(other);
  prefetchWorkspace(plain);
  const early = await resolveWorkspace(plain);
  expect(early).toEqual({ root: plain, isRepo: false });

  // Taken once: after `git init` the next lookup sees the repository.
  prefetchWorkspace(plain);
  await resolveWorkspace(plain);
  Bun.spawnSync(["git", "init", "-q", plain]);
  expect(await resolveWorkspace(plain)).toEqual({ root: plain, isRepo: true });

  // A prefetch for another directory is not an answer for this one.
  prefetchWorkspace(other);
  expect(await resolveWorkspace(plain)).toEqual({ root: plain, isRepo: true });
});
