import { expect, test } from "bun:test";
import { classOfCategory, labelOfCategory } from "./categories.ts";

test("stored categories map to class and label; unknown ones default to agent and display raw", () => {
  expect([
    [classOfCategory("short_rate_limit"), labelOfCategory("short_rate_limit")],
    [classOfCategory("usage_limit"), labelOfCategory("usage_limit")],
    [classOfCategory("binary_missing"), labelOfCategory("binary_missing")],
    [classOfCategory("incomplete_finalization"), labelOfCategory("auth_or_proxy")],
    [classOfCategory("unidentified_issue"), labelOfCategory("unidentified_issue")],
  ]).toEqual([
    ["infra", "rate limit"],
    ["agent", "usage limit"],
    ["infra", "harness binary missing"],
    ["incomplete", "auth/proxy error"],
    ["agent", "unidentified_issue"],
  ]);
});
