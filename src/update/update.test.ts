import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { fakeSource, type FakeAnswer } from "./test-support.ts";
import { describeUpdate, updateSelf, type UpdateOptions } from "./update.ts";

// updateSelf with a fake release source; the "binaries" are shell scripts so the probe
// (`<staged> version`) really runs.

const ASSET = "rally-test-x64";
const script = (version: string) => `#!/bin/sh\necho "rally v${version}"\n`;
const sha = (s: string) => new Bun.CryptoHasher("sha256").update(s).digest("hex");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(table: Record<string, FakeAnswer>) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rally-update-unit-")));
  dirs.push(dir);
  const target = join(dir, "rally");
  writeFileSync(target, script("0.1.0"), { mode: 0o755 });
  const source = fakeSource(table);
  const opts: UpdateOptions = { current: "0.1.0", display: "v0.1.0", target, source, env: { PATH: process.env.PATH }, asset: ASSET };
  const intact = () => {
    expect(readFileSync(target, "utf8")).toBe(script("0.1.0"));
    expect(readdirSync(dir)).toEqual(["rally"]);
  };
  return { dir, target, source, opts, intact };
}

const release = (binary: string | FakeAnswer, sums = `${sha(script("0.2.0"))}  ${ASSET}\n`): Record<string, FakeAnswer> => ({
  "http://rel/latest/download/VERSION": "v0.2.0\n",
  "http://rel/download/v0.2.0/SHA256SUMS": sums,
  [`http://rel/download/v0.2.0/${ASSET}`]: binary,
});

describe("updateSelf", () => {
  test("downloads, verifies, probes and swaps in the new binary", async () => {
    const { dir, target, opts, source } = setup(release(script("0.2.0")));
    const result = await updateSelf(opts);
    expect(describeUpdate(result)).toBe("Updated rally from v0.1.0 to v0.2.0");
    expect(readFileSync(target, "utf8")).toBe(script("0.2.0"));
    expect(statSync(target).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir)).toEqual(["rally"]);
    expect(source.calls).toEqual(["http://rel/latest/download/VERSION", "http://rel/download/v0.2.0/SHA256SUMS", `http://rel/download/v0.2.0/${ASSET}`]);
  });

  test("up to date, or ahead of the latest release: nothing is downloaded", async () => {
    const { opts, source, intact } = setup(release(script("0.2.0")));
    expect(describeUpdate(await updateSelf({ ...opts, current: "0.2.0" }))).toBe("rally is already up to date (v0.2.0)");
    expect(describeUpdate(await updateSelf({ ...opts, current: "0.3.0" }))).toBe("rally is already up to date (v0.3.0 is newer than the latest release, v0.2.0)");
    expect(source.calls).toHaveLength(2);
    intact();
  });

  test("a dev build refuses before any request", async () => {
    const { opts, source, intact } = setup(release(script("0.2.0")));
    await expect(updateSelf({ ...opts, current: undefined, display: "v0.1.0-dev" })).rejects.toMatchObject({ code: "UPDATE_DEV_BUILD" });
    expect(source.calls).toEqual([]);
    intact();
  });

  test.each([
    ["bad checksum", release("tampered"), "UPDATE_CHECKSUM"],
    ["asset not in SHA256SUMS", release(script("0.2.0"), `${sha("x")}  other\n`), "UPDATE_NO_ASSET"],
    ["asset 404", { ...release(script("0.2.0")), [`http://rel/download/v0.2.0/${ASSET}`]: 404 }, "UPDATE_NO_ASSET"],
    ["no SHA256SUMS", { ...release(script("0.2.0")), "http://rel/download/v0.2.0/SHA256SUMS": 404 }, "UPDATE_NO_CHECKSUMS"],
    ["no release", {}, "UPDATE_NO_RELEASE"],
    ["server error", { "http://rel/latest/download/VERSION": 503 }, "UPDATE_HTTP"],
    ["hung server", { "http://rel/latest/download/VERSION": "hang" }, "UPDATE_NETWORK"],
    ["binary that is not this release", release(script("0.1.5"), `${sha(script("0.1.5"))}  ${ASSET}\n`), "UPDATE_BAD_BINARY"],
  ] as const)("%s → %s, old binary intact", async (_name, table, code) => {
    const { opts, intact } = setup(table as Record<string, FakeAnswer>);
    await expect(updateSelf({ ...opts, source: { ...opts.source, metaTimeoutMs: 50 } })).rejects.toMatchObject({ code });
    intact();
  });

  test("a download that breaks off midway leaves no partial file", async () => {
    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (!sent) { sent = true; ctl.enqueue(new TextEncoder().encode("#!/bin/sh\n")); } else ctl.error(new Error("connection reset"));
      },
    });
    const { opts, intact } = setup(release(broken));
    await expect(updateSelf(opts)).rejects.toThrow(`the download of http://rel/download/v0.2.0/${ASSET} failed: connection reset`);
    intact();
  });

  test("a symlinked target updates the file it points at", async () => {
    const { dir, target, opts } = setup(release(script("0.2.0")));
    const link = join(dir, "rally-link");
    symlinkSync(target, link);
    await updateSelf({ ...opts, target: link });
    expect(readFileSync(target, "utf8")).toBe(script("0.2.0"));
    expect(readFileSync(link, "utf8")).toBe(script("0.2.0"));
  });

  test.skipIf(process.getuid?.() === 0)("a directory the user cannot write is a clear error", async () => {
    const { dir, opts } = setup(release(script("0.2.0")));
    chmodSync(dir, 0o555);
    try {
      await expect(updateSelf(opts)).rejects.toMatchObject({ code: "UPDATE_NOT_WRITABLE" });
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  test("a missing target is a clear error", async () => {
    const { dir, opts } = setup(release(script("0.2.0")));
    await expect(updateSelf({ ...opts, target: join(dir, "gone") })).rejects.toMatchObject({ code: "UPDATE_TARGET_MISSING" });
  });
});
