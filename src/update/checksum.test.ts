import { describe, expect, test } from "bun:test";
import { expectedSum, parseSums, verifySum } from "./checksum.ts";

const A = "a".repeat(64);
const B = "B".repeat(64);

describe("SHA256SUMS", () => {
  test("parses text and binary mode lines, lower-cases, skips junk", () => {
    const sums = parseSums(`${A}  rally-linux-x64\r\n${B} *rally-windows-x64.exe\nnot a line\n\n${A}  name with space\n`);
    expect([...sums]).toEqual([
      ["rally-linux-x64", A],
      ["rally-windows-x64.exe", "b".repeat(64)],
      ["name with space", A],
    ]);
  });

  test("a missing entry names the asset and release", () => {
    expect(() => expectedSum(new Map(), "rally-linux-arm64", "v0.2.0")).toThrow("release v0.2.0 has no rally-linux-arm64 binary for this platform");
    expect(expectedSum(new Map([["x", A]]), "x", "v1.0.0")).toBe(A);
  });

  test("a mismatch is refused with both sums", () => {
    expect(() => verifySum("rally-linux-x64", "v0.2.0", A, "b".repeat(64))).toThrow(`checksum mismatch for rally-linux-x64 v0.2.0: SHA256SUMS says aaaaaaaaaaaa…, the download is bbbbbbbbbbbb…`);
    expect(() => verifySum("x", "v1", A, A)).not.toThrow();
  });
});
