import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "pathe";
import { assetName, currentAsset, isMuslSystem } from "./platform.ts";

describe("release asset names", () => {
  test.each([
    ["linux", "x64", false, "rally-linux-x64"],
    ["linux", "arm64", false, "rally-linux-arm64"],
    ["linux", "x64", true, "rally-linux-x64-musl"],
    ["darwin", "x64", false, "rally-darwin-x64"],
    ["darwin", "arm64", false, "rally-darwin-arm64"],
    ["win32", "x64", false, "rally-windows-x64.exe"],
  ])("%s %s musl=%p → %s", (platform, arch, musl, name) => {
    expect(assetName(platform, arch, musl)).toBe(name);
  });

  test("unsupported platforms are errors naming the platform", () => {
    expect(() => assetName("freebsd", "x64")).toThrow('rally has no prebuilt binaries for the OS "freebsd"');
    expect(() => assetName("linux", "ia32")).toThrow('rally has no prebuilt binaries for the architecture "ia32"');
    expect(() => assetName("linux", "arm64", true)).toThrow("rally has no prebuilt musl binary for linux-arm64");
  });

  test("musl is detected from the loader in /lib; a source run uses this machine's asset", () => {
    const dir = mkdtempSync(join(tmpdir(), "rally-musl-"));
    try {
      mkdirSync(join(dir, "lib"));
      expect(isMuslSystem(join(dir, "lib"))).toBe(false);
      writeFileSync(join(dir, "lib", "ld-musl-x86_64.so.1"), "");
      expect(isMuslSystem(join(dir, "lib"))).toBe(true);
      expect(isMuslSystem(join(dir, "missing"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(currentAsset()).toStartWith(`rally-${process.platform === "win32" ? "windows" : process.platform}-`);
  });
});
