import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FakeProcTree } from "../../tests/support/fake-proc.ts";
import { createProcFs, hostProcFs } from "./procfs.ts";

describe("createProcFs", () => {
  test("reads, lists and readlinks under a synthetic root", () => {
    using tree = new FakeProcTree();
    tree.addProcess({ pid: 42, pgid: 42, fds: { 3: "socket:[123]", 4: "/dev/null" } });
    const fs = createProcFs(tree.root);
    expect(fs.root).toBe(tree.root);
    expect(fs.read("42/stat")).toStartWith("42 (agent) S 1 42");
    expect(fs.list("")).toContain("42");
    expect(fs.list("42/fd")?.sort()).toEqual(["3", "4"]);
    expect(fs.readlink("42/fd/3")).toBe("socket:[123]");
  });

  test("missing or unreadable entries are undefined, never thrown", () => {
    using tree = new FakeProcTree();
    const fs = createProcFs(tree.root);
    expect(fs.read("999/stat")).toBeUndefined();
    expect(fs.list("999/fd")).toBeUndefined();
    expect(fs.readlink("999/fd/3")).toBeUndefined();
    expect(fs.readlink("net/tcp")).toBeUndefined(); // a file, not a link
  });

  test("the host procfs reads this process on Linux", () => {
    const fs = hostProcFs();
    if (process.platform !== "linux") return expect(fs).toBeUndefined();
    expect(fs?.read(`${process.pid}/stat`)).toStartWith(`${process.pid} (`);
  });
});

describe("whole-file reads", () => {
  test("a /proc/net table larger than one page is read completely", () => {
    const fs = hostProcFs();
    if (!fs) return;
    const text = fs.read("net/tcp") ?? "";
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n").length).toBeGreaterThan(1);
  });

  test("files larger than the initial buffer grow it", () => {
    using tree = new FakeProcTree();
    const big = `${"x".repeat(200_000)}\n`;
    writeFileSync(join(tree.root, "net", "tcp"), big);
    expect(createProcFs(tree.root).read("net/tcp")).toBe(big);
  });
});
