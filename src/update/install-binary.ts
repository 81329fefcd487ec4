import { chmodSync, existsSync, realpathSync, renameSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, dirname, join } from "pathe";
import { RallyError } from "../errors.ts";
import { exec } from "../sys/exec.ts";

// Replace a binary atomically: stream the download into a temp file in the target's own
// directory (same filesystem), verify it, chmod 0755, then rename it over the target. Until the
// rename the old binary is untouched; every failure removes the temp file.

export interface Staged {
  path: string;
  sha256: string;
}

/** The real file behind the target (a symlinked ~/.local/bin/rally updates what it points at). */
export function resolveTarget(target: string): string {
  if (!existsSync(target)) throw new RallyError("UPDATE_TARGET_MISSING", `cannot find the rally binary to replace at ${target}`, "reinstall rally with install.sh");
  return realpathSync(target);
}

export async function stageDownload(target: string, body: ReadableStream<Uint8Array>, url: string): Promise<Staged> {
  const suffix = target.endsWith(".exe") ? ".exe" : "";
  const path = join(dirname(target), `.${basename(target)}.update-${process.pid}-${Date.now().toString(36)}${suffix}`);
  let file;
  try {
    file = await open(path, "wx", 0o600);
  } catch (err) {
    throw notWritable(dirname(target), err);
  }
  const hasher = new Bun.CryptoHasher("sha256");
  try {
    for await (const chunk of body) {
      hasher.update(chunk);
      await file.write(chunk);
    }
    await file.sync();
  } catch (err) {
    await file.close().catch(() => {});
    discard(path);
    const why = (err as Error)?.name === "TimeoutError" ? "timed out" : ((err as Error)?.message ?? String(err));
    throw new RallyError("UPDATE_NETWORK", `the download of ${url} failed: ${why}`, "check your network connection and run `rally update` again; rally was not changed");
  }
  await file.close();
  return { path, sha256: hasher.digest("hex") };
}

/** Run the staged binary's `version`: it must start on this machine and be the release we expect. */
export async function probe(staged: string, expectedVersion: string, env: Record<string, string | undefined>): Promise<void> {
  chmodSync(staged, 0o755);
  const r = await exec([staged, "version"], { cwd: dirname(staged), env: { ...env, RALLY_NO_UPDATE_CHECK: "1" } });
  const printed = r.stdout.trim();
  if (r.code !== 0 || printed !== `rally ${expectedVersion}`) {
    const got = printed || r.stderr.trim().split("\n")[0] || "nothing";
    throw new RallyError(
      "UPDATE_BAD_BINARY",
      `the downloaded binary does not run as rally ${expectedVersion} here (exit ${r.code}, printed "${got.slice(0, 80)}")`,
      "rally was not changed; download a build by hand from the releases page",
    );
  }
}

export function promote(staged: string, target: string): void {
  chmodSync(staged, 0o755);
  try {
    if (process.platform === "win32") return swapOnWindows(staged, target);
    renameSync(staged, target);
  } catch (err) {
    throw notWritable(dirname(target), err);
  }
}

/** Windows cannot rename over a running .exe, but can move it aside first. */
function swapOnWindows(staged: string, target: string): void {
  const old = `${target}.old`;
  rmSync(old, { force: true });
  renameSync(target, old);
  try {
    renameSync(staged, target);
  } catch (err) {
    renameSync(old, target);
    throw err;
  }
}

export function discard(path: string): void {
  rmSync(path, { force: true });
}

function notWritable(dir: string, err: unknown): RallyError {
  const code = (err as { code?: string })?.code ?? (err as Error)?.message;
  return new RallyError(
    "UPDATE_NOT_WRITABLE",
    `cannot write to ${dir} (${code})`,
    "rerun `rally update` as a user who can write there, or reinstall with install.sh into a directory you own",
  );
}
