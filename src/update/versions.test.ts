import { describe, expect, test } from "bun:test";
import { compareVersions, parseVersion, withV } from "./versions.ts";

describe("versions", () => {
  test("parseVersion accepts x.y.z with optional v and pre-release, rejects the rest", () => {
    expect(parseVersion("0.2.0\n", "u")).toBe("0.2.0");
    expect(parseVersion(" v1.10.3-rc.1 ", "u")).toBe("1.10.3-rc.1");
    for (const bad of ["", "latest", "1.2", "<html>", "1.2.3 4"]) {
      expect(() => parseVersion(bad, "http://x/VERSION")).toThrow("http://x/VERSION does not hold a version");
    }
  });

  test.each([
    ["0.1.0", "0.1.0", 0],
    ["0.1.0", "0.2.0", -1],
    ["0.10.0", "0.9.9", 1],
    ["v1.0.0", "1.0.0", 0],
    ["1.0.0-rc.1", "1.0.0", -1],
    ["1.0.0", "1.0.0-rc.1", 1],
    ["1.0.0-alpha", "1.0.0-beta", -1],
  ])("compareVersions(%s, %s) has sign %d", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  test("withV adds one v", () => {
    expect(withV("1.2.3")).toBe("v1.2.3");
    expect(withV("v1.2.3")).toBe("v1.2.3");
  });
});
