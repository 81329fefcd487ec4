import { expect, test } from "bun:test";
import { parseStatusV2 } from "./tree.ts";

test("porcelain v2 status: HEAD, changed, renamed, untracked; rally-owned paths dropped", () => {
  const text = [
    "# branch.oid 0123456789abcdef0123456789abcdef01234567",
    "# branch.head main",
    "1 .M N... 100644 100644 100644 aaaa bbbb src/a file.ts",
    "1 A. N... 000000 100644 100644 0000 cccc new.ts",
    "2 R. N... 100644 100644 100644 dddd dddd R100 renamed.ts",
    "old-name.ts",
    "? notes/todo.md",
    "? .rally/summary.jsonl",
    "1 .M N... 100644 100644 100644 eeee ffff .laps/laps.json",
    "",
  ].join("\0");
  const { head, entries } = parseStatusV2(text);
  expect(head).toBe("0123456789abcdef0123456789abcdef01234567");
  expect([...entries]).toEqual([
    ["src/a file.ts", "M "],
    ["new.ts", "A "],
    ["renamed.ts", "R "],
    ["notes/todo.md", "??"],
  ]);
  expect(parseStatusV2("# branch.oid (initial)\0# branch.head main\0").head).toBe("");
});
