import { describe, expect, test } from "bun:test";
import { RallyError } from "../errors.ts";
import {
  countListLines, findLapsMarkerText, followupLapTitle, lapToTask, noLapReason, parseClaimFile, parseTaskDetail,
} from "./task-detail.ts";

describe("parseTaskDetail (spec 05 §6.2 vectors)", () => {
  const cases: [string, string, { title: string; assignee: string; description: string }][] = [
    ["no assignee", "Title\n\nDescription\n", { title: "Title", assignee: "", description: "Description" }],
    ["assignee", "Title\nAssignee: alice\n\nDescription\n", { title: "Title", assignee: "alice", description: "Description" }],
    ["empty description", "Title\nAssignee: bob\n\n\n", { title: "Title", assignee: "bob", description: "" }],
    ["multi-line description", "T\n\nline 1\n\nline 3\n", { title: "T", assignee: "", description: "line 1\n\nline 3" }],
    [
      "claim output with the undo hint",
      "Implement auth\nAssignee: alice\n\nAdd login endpoint\n\n-----\nNot the lap you intended to claim? Undo with 'laps claim undo'\n",
      { title: "Implement auth", assignee: "alice", description: "Add login endpoint" },
    ],
    [
      "claim output, empty description",
      "T\n\n\n\n-----\nNot the lap you intended to claim? Undo with 'laps claim undo'\n",
      { title: "T", assignee: "", description: "" },
    ],
  ];
  for (const [name, text, want] of cases) {
    test(name, () => expect(parseTaskDetail(text)).toEqual(want));
  }

  test("a single line is a format error", () => {
    expect(() => parseTaskDetail("Title\n")).toThrow(RallyError);
    expect(() => parseTaskDetail("Title\n")).toThrow('unexpected laps task output format: "Title\\n"');
  });
});

test("parseClaimFile: bare id, JSON claim (laps 0.9), blank", () => {
  expect(parseClaimFile("rall-809d\n")).toBe("rall-809d");
  expect(parseClaimFile('{"lap":"rall-809d","file":"laps.json","claimedAt":"2026-07-01T00:00:00Z"}\n')).toBe("rall-809d");
  expect(parseClaimFile("  \n")).toBe("");
  expect(parseClaimFile("{broken")).toBe("{broken");
});

test("countListLines counts non-blank lines", () => {
  expect(countListLines("")).toBe(0);
  expect(countListLines("1. a — A\n2. b — B\n\n")).toBe(2);
});

test("noLapReason maps claim exit codes", () => {
  expect([3, 11, 12, 10, 1, 127].map(noLapReason)).toEqual(["empty", "empty", "complete", "held", "failed", "failed"]);
});

test("followupLapTitle: ≤ 30 bytes kept, else 30 bytes + ...", () => {
  expect(followupLapTitle("Add auth tests")).toBe("Add auth tests");
  expect(followupLapTitle("a".repeat(30))).toBe("a".repeat(30));
  expect(followupLapTitle("a".repeat(50))).toBe(`${"a".repeat(30)}...`);
  expect(followupLapTitle(`${"a".repeat(29)}é tail`)).toBe(`${"a".repeat(29)}...`);
});

test("lapToTask: name, prompt fallback, requirements lines", () => {
  expect(lapToTask({ id: "rall-1", title: "T", description: "D", assignee: "alice" })).toEqual({
    name: "T", prompt: "D", assignee: "alice", requirements: "Lap ID: rall-1\nAssignee: alice", lapId: "rall-1",
  });
  const bare = lapToTask({ id: "", title: "T", description: "  ", assignee: "" });
  expect(bare.prompt).toBe("T");
  expect(bare.requirements).toBe("");
});

test("findLapsMarkerText finds commands printed instead of run", () => {
  expect(findLapsMarkerText("I finished.\nlaps done")).toBe("laps done");
  expect(findLapsMarkerText("  laps handoff now")).toBe("laps handoff");
  expect(findLapsMarkerText("ran laps done already")).toBeUndefined();
  expect(findLapsMarkerText("laps doneness")).toBeUndefined();
});
