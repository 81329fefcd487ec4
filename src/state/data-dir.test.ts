import { expect, test } from "bun:test";
import { repoKey } from "./data-dir.ts";

test.each([
  ["/tmp/foo", "foo-e2e1"],
  ["/tmp/rally-test-basic", "rally-te-7be6"],
  ["/var/lib/some_repo", "some-rep-c22f"],
  ["/tmp/--weird--", "weird-5cd3"],
  ["/tmp/a/myrepo", "myrepo-6f03"],
  ["/tmp/b/myrepo", "myrepo-e369"],
  ["/tmp/My Repo.v2", "my-repo--3f6a"],
  ["/tmp/___", "repo-9738"],
  ["/", "repo-8a5e"],
])("repoKey(%s) = %s", (ws, key) => {
  expect(repoKey(ws)).toBe(key);
});
