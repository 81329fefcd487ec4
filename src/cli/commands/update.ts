import { defineCommand } from "citty";
import * as Update from "../../update/index.ts";
import { displayVersion, releaseVersion } from "../../version.ts";
import { say } from "../output.ts";

// `rally update`: replace this binary with the latest release. RALLY_UPDATE_BASE_URL points at
// another release server (same layout as GitHub's); RALLY_UPDATE_TARGET replaces another file.

export default defineCommand({
  meta: { description: "Update rally to the latest release (checksum-verified, atomic)" },
  async run() {
    const env = process.env;
    const result = await Update.updateSelf({
      current: releaseVersion(),
      display: displayVersion(),
      target: env.RALLY_UPDATE_TARGET || process.execPath,
      source: Update.releaseSource(env),
      env,
    });
    say(Update.describeUpdate(result));
  },
});
