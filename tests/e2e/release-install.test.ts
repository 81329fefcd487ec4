import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "pathe";
import { addRelease, deadBase, hostAsset, serveFiles, sumsOf } from "../support/release-server.ts";
import { ROOT, rally, sandbox } from "../support/rally.ts";

// install.sh against a fake release on a local HTTP server. The "binaries" are tiny shell
// scripts that print a version, so these tests need no compile step.

const INSTALL_SH = join(ROOT, "install.sh");
const fakeBinary = (version: string) => `#!/bin/sh\necho "rally v${version}"\n`;

async function install(env: Record<string, string>, cwd: string) {
  return rally([INSTALL_SH], { cwd, env, bin: ["sh"], timeoutMs: 20_000 });
}

/** A sandbox with an install dir already holding an "old" rally. */
function setup() {
  const s = sandbox({ git: false });
  const dir = join(s.dir, "bin");
  mkdirSync(dir);
  writeFileSync(join(dir, "rally"), fakeBinary("0.0.1"), { mode: 0o755 });
  const env = (base: string, extra: Record<string, string> = {}) => ({ PATH: "/usr/bin:/bin", HOME: s.home, RALLY_INSTALL_BASE_URL: base, RALLY_INSTALL_DIR: dir, ...extra });
  const untouched = () => {
    expect(readFileSync(join(dir, "rally"), "utf8")).toBe(fakeBinary("0.0.1"));
    expect(readdirSync(dir)).toEqual(["rally"]); // no staged or partial file left behind
  };
  return { s, dir, env, untouched };
}

describe("install.sh", () => {
  test("installs the latest release for this platform, verified, executable, with a PATH hint", async () => {
    const { s, dir, env } = setup();
    await using _ = s;
    await using server = serveFiles();
    addRelease(server, { version: "0.2.0", assets: { [hostAsset()]: fakeBinary("0.2.0"), "rally-other-x64": "x" } });
    const r = await install(env(server.base), s.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`installed rally v0.2.0 to ${dir}/rally`);
    expect(r.stdout).toContain(`note: ${dir} is not on your PATH`);
    expect(readFileSync(join(dir, "rally"), "utf8")).toBe(fakeBinary("0.2.0"));
    expect(statSync(join(dir, "rally")).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir)).toEqual(["rally"]);
    expect(server.hits).toEqual(["/releases/latest/download/SHA256SUMS", `/releases/latest/download/${hostAsset()}`]);
  });

  test("RALLY_VERSION pins a release (with or without v); a dir on PATH gets no hint; the default dir is ~/.local/bin", async () => {
    await using s = sandbox({ git: false });
    await using server = serveFiles();
    addRelease(server, { version: "0.3.0", assets: { [hostAsset()]: fakeBinary("0.3.0") } });
    addRelease(server, { version: "0.2.0", assets: { [hostAsset()]: fakeBinary("0.2.0") }, latest: false });
    const bin = join(s.home, ".local", "bin");
    for (const pin of ["0.2.0", "v0.2.0"]) {
      const env = { PATH: `/usr/bin:/bin:${bin}`, HOME: s.home, RALLY_INSTALL_BASE_URL: server.base + "/", RALLY_VERSION: pin };
      const r = await install(env, s.dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`installed rally v0.2.0 to ${bin}/rally`);
      expect(r.stdout).not.toContain("not on your PATH");
    }
    expect(server.hits.filter((h) => h.includes("latest"))).toEqual([]);
  });

  test("a bad checksum is refused and the old binary stays", async () => {
    const { s, env, untouched } = setup();
    await using _ = s;
    await using server = serveFiles();
    addRelease(server, { version: "0.2.0", assets: { [hostAsset()]: fakeBinary("0.2.0") }, sums: sumsOf({ [hostAsset()]: "something else" }) });
    const r = await install(env(server.base), s.dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`rally-install: error: checksum mismatch for ${hostAsset()}`);
    expect(r.stderr).toContain("refusing to install");
    untouched();
  });

  test("a release without this platform's binary is a clear error", async () => {
    const { s, env, untouched } = setup();
    await using _ = s;
    await using server = serveFiles();
    addRelease(server, { version: "0.2.0", assets: { "rally-plan9-x64": "x" } });
    let r = await install(env(server.base), s.dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`release latest has no ${hostAsset()} binary for this platform (not in SHA256SUMS)`);
    untouched();
    // Listed in SHA256SUMS but the file itself is missing.
    server.routes.set("/releases/latest/download/SHA256SUMS", sumsOf({ [hostAsset()]: "x" }));
    r = await install(env(server.base), s.dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`release latest has no ${hostAsset()} binary for this platform (`);
    expect(r.stderr).toContain("returned HTTP 404");
    untouched();
  });

  test("an unknown pinned version, a server error and a dead server are errors; nothing changes", async () => {
    const { s, env, untouched } = setup();
    await using _ = s;
    await using server = serveFiles();
    let r = await install(env(server.base, { RALLY_VERSION: "9.9.9" }), s.dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("release v9.9.9 does not exist or has no SHA256SUMS");
    server.routes.set("/releases/latest/download/SHA256SUMS", { status: 500 });
    r = await install(env(server.base), s.dir);
    expect(r.stderr).toContain("(HTTP 500); try again later");
    r = await install(env(await deadBase()), s.dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/rally-install: error: could not download http:\/\/127\.0\.0\.1:\d+\/releases\/latest\/download\/SHA256SUMS: .*check your network connection/);
    untouched();
  });

  test("detects musl Linux and macOS arm64 (faked uname/ldd)", async () => {
    const { s, dir, env } = setup();
    await using _ = s;
    await using server = serveFiles();
    addRelease(server, { version: "0.2.0", assets: { "rally-linux-x64-musl": fakeBinary("0.2.0-musl"), "rally-darwin-arm64": fakeBinary("0.2.0-mac") } });
    const fake = join(s.dir, "fakebin");
    mkdirSync(fake);
    const script = (name: string, body: string) => {
      writeFileSync(join(fake, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(fake, name), 0o755);
    };
    script("uname", 'case "$1" in -s) echo Linux ;; -m) echo x86_64 ;; esac');
    script("ldd", 'echo "musl libc (x86_64)" >&2; exit 1');
    let r = await install(env(server.base, { PATH: `${fake}:/usr/bin:/bin` }), s.dir);
    expect(r.stdout).toContain("installed rally v0.2.0-musl");
    script("uname", 'case "$1" in -s) echo Darwin ;; -m) echo arm64 ;; esac');
    r = await install(env(server.base, { PATH: `${fake}:/usr/bin:/bin` }), s.dir);
    expect(r.stdout).toContain("installed rally v0.2.0-mac");
    script("uname", 'case "$1" in -s) echo SunOS ;; -m) echo sparc ;; esac');
    r = await install(env(server.base, { PATH: `${fake}:/usr/bin:/bin` }), s.dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no prebuilt rally binary for the OS "SunOS"');
    expect(existsSync(join(dir, "rally"))).toBe(true);
  });

  test.skipIf(!Bun.which("wget"))("works with wget when curl is missing", async () => {
    const { s, dir, env, untouched } = setup();
    await using _ = s;
    await using server = serveFiles();
    addRelease(server, { version: "0.2.0", assets: { [hostAsset()]: fakeBinary("0.2.0") }, sums: sumsOf({ [hostAsset()]: "x" }) });
    // A PATH with the tools install.sh uses, minus curl.
    const tools = join(s.dir, "tools");
    mkdirSync(tools);
    for (const t of ["sh", "uname", "ldd", "grep", "awk", "mktemp", "wget", "sha256sum", "cut", "rm", "mkdir", "cp", "chmod", "mv", "tail", "cat", "ls"]) {
      const path = Bun.which(t);
      if (path) symlinkSync(path, join(tools, t));
    }
    let r = await install(env(server.base, { PATH: tools }), s.dir);
    expect(r.stderr).toContain("checksum mismatch");
    untouched();
    r = await install(env(server.base, { PATH: tools, RALLY_VERSION: "7.7.7" }), s.dir);
    expect(r.stderr).toContain("release v7.7.7 does not exist or has no SHA256SUMS (");
    expect(r.stderr).toContain("returned HTTP 404)");
    untouched();
    server.routes.set("/releases/latest/download/SHA256SUMS", sumsOf({ [hostAsset()]: fakeBinary("0.2.0") }));
    r = await install(env(server.base, { PATH: tools }), s.dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "rally"), "utf8")).toBe(fakeBinary("0.2.0"));
  });
});
