import { describe, expect, test } from "bun:test";
import { noticeLine, startUpdateNotice, updateCheckWanted } from "./notice.ts";
import { fakeSource } from "./test-support.ts";

const LATEST = "http://rel/latest/download/VERSION";
const env = { RALLY_UPDATE_BASE_URL: "http://rel" };

describe("update notice", () => {
  test.each([
    [["relay"], {}, "0.1.0", true],
    [[], {}, "0.1.0", true],
    [["relay"], {}, undefined, false], // dev build
    [["relay"], { RALLY_NO_UPDATE_CHECK: "1" }, "0.1.0", false],
    [["relay"], { RALLY_NO_UPDATE_CHECK: "true" }, "0.1.0", false],
    [["relay"], { RALLY_NO_UPDATE_CHECK: "0" }, "0.1.0", true],
    [["update"], {}, "0.1.0", false],
    [["version"], {}, "0.1.0", false],
    [["--version"], {}, "0.1.0", false],
    [["-v"], {}, "0.1.0", false],
  ])("argv %j env %j version %p → check %p", (argv, e, current, wanted) => {
    expect(updateCheckWanted(argv, e, current)).toBe(wanted);
  });

  test("a newer release yields the notice; the same or an older one yields nothing", async () => {
    for (const [latest, line] of [["0.2.0", noticeLine("0.2.0")], ["0.1.0", undefined], ["0.0.9", undefined]] as const) {
      const src = fakeSource({ [LATEST]: `${latest}\n` });
      const notice = startUpdateNotice(["routes"], env, { current: "0.1.0", fetch: src.fetch })!;
      await Bun.sleep(5);
      expect(await notice.take()).toBe(line);
    }
    expect(noticeLine("0.2.0")).toBe("new update available: v0.2.0 | to update run `rally update`");
  });

  test("failures are silent and a slow answer is dropped after the grace period", async () => {
    for (const answer of [500, "garbage", undefined]) {
      const src = fakeSource(answer === undefined ? {} : { [LATEST]: answer });
      expect(await startUpdateNotice(["routes"], env, { current: "0.1.0", fetch: src.fetch })!.take()).toBeUndefined();
    }
    const hang = fakeSource({ [LATEST]: "hang" });
    const notice = startUpdateNotice(["routes"], env, { current: "0.1.0", fetch: hang.fetch })!;
    const t0 = performance.now();
    expect(await notice.take(25)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(500);
    expect(hang.calls).toEqual([LATEST]);
  });

  test("no check, no request, when it is not wanted", () => {
    const src = fakeSource({});
    expect(startUpdateNotice(["version"], env, { current: "0.1.0", fetch: src.fetch })).toBeUndefined();
    expect(startUpdateNotice(["relay"], env, { current: undefined, fetch: src.fetch })).toBeUndefined();
    expect(src.calls).toEqual([]);
  });
});
