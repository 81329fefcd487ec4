import { defineCommand } from "citty";
import { runDemoAgent } from "../../demo/agent.ts";
import { say } from "../output.ts";

export default defineCommand({
  meta: { description: "The scripted demo agent behind `--agent demo` (used by rally itself)", hidden: true },
  async run({ args }) {
    const prompt = args._.join(" ") || (await Bun.stdin.text());
    say("demo agent: reading the task");
    say(`demo agent: ${runDemoAgent(prompt, process.cwd())}`);
  },
});
