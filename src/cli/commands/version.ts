import { defineCommand } from "citty";
import { displayVersion } from "../../version.ts";
import { say } from "../output.ts";

export default defineCommand({
  meta: { description: "Print rally's version" },
  run() {
    say(`rally ${displayVersion()}`);
  },
});
