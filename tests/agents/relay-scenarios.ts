// Custom model-server scenarios for the relay suites. Like the built-in ones they decide from the
// conversation each request carries (never from a request counter), so the CLIs' side requests
// (opencode title, gemini JSON checks, claude warm-ups) cannot shift them.

import { type Conversation, type Protocol, type Reply, type Scenario, Scenarios, type ToolCall } from "../support/model-server.ts";

/** Tool-less or JSON side requests get a harmless answer. */
function sideCall(c: Conversation): Reply | undefined {
  if (c.jsonSchema !== undefined) return { kind: "json", value: Scenarios.sampleForSchema(c.jsonSchema) };
  if (c.tools.length === 0) return { kind: "text", text: "Rally relay" };
  return undefined;
}

/** "Run this shell command" in the argument shape of whichever shell tool the request offers. */
export function shellCall(tools: string[], command: string): ToolCall | undefined {
  if (tools.includes("Bash")) return { name: "Bash", args: { command, description: "Run a command" } };
  if (tools.includes("run_shell_command")) return { name: "run_shell_command", args: { command, description: "Run a command" } };
  if (tools.includes("bash")) return { name: "bash", args: { command, description: "Run a command" } };
  if (tools.includes("exec_command")) return { name: "exec_command", args: { cmd: command } };
  if (tools.includes("shell_command")) return { name: "shell_command", args: { command } };
  if (tools.includes("shell")) return { name: "shell", args: { command: ["bash", "-lc", command] } };
  return undefined;
}

export interface CodewordLog {
  /** Every main request: what it carried and what the scenario answered. */
  seen: { conversation: Conversation; reply: Reply; step: "learn" | "noted" | "write" | "done" }[];
}

/**
 * Two attempts of one rally run, the second one resumed:
 *  - a fresh conversation (rally's prompt, no codeword anywhere): run `echo <word>` in the shell,
 *    then after its result answer "Noted." — attempt 1 changes no file ("no changes made");
 *  - a conversation whose history *before* its last user message holds the word (only when the CLI
 *    resent the resumed session): write the word into `path`, then answer "done".
 * A CLI that does not really resume sees a fresh conversation again, echoes again, changes nothing.
 */
export function codewordRelay(path: string, word: string): Scenario & CodewordLog {
  const seen: CodewordLog["seen"] = [];
  return {
    name: "codewordRelay",
    seen,
    reply(c) {
      const side = sideCall(c);
      if (side) return side;
      const lastUser = c.turns.findLastIndex((t) => t.role === "user");
      const known = c.turns.slice(0, Math.max(lastUser, 0)).some((t) => t.text.includes(word));
      let reply: Reply;
      let step: CodewordLog["seen"][number]["step"];
      if (c.lastIsToolResult) {
        step = known ? "done" : "noted";
        reply = { kind: "text", text: known ? "done: codeword written" : "Noted." };
      } else if (known) {
        step = "write";
        const call = Scenarios.writeFileCall(c.tools, path, `${word}\n`);
        reply = call ? { kind: "tool", call } : { kind: "text", text: "no write tool" };
      } else {
        step = "learn";
        const call = shellCall(c.tools, `echo ${word}`);
        reply = call ? { kind: "tool", call } : { kind: "text", text: "no shell tool" };
      }
      seen.push({ conversation: c, reply, step });
      return reply;
    },
  };
}

/** Which CLI speaks which wire format here. */
export const PROTOCOL_OF = { claude: "anthropic", codex: "openai-responses", gemini: "gemini", opencode: "openai-chat" } as const satisfies Record<string, Protocol>;

/** Each wire format writes its own file `<dir>/by-<protocol>.txt`, so every CLI's try changes something. */
export function writePerProtocol(dir: string): Scenario {
  return Scenarios.custom("writePerProtocol", (c) => {
    const side = sideCall(c);
    if (side) return side;
    return Scenarios.writeFile(`${dir}/by-${c.protocol}.txt`, `written over ${c.protocol}\n`).reply(c);
  });
}

/** One fault for the listed wire formats, a file write for the others. */
export function faultFor(protocols: Protocol[], fault: Reply & { kind: "fault" }, dir: string): Scenario {
  const ok = writePerProtocol(dir);
  return Scenarios.custom("faultFor", (c) => (protocols.includes(c.protocol) ? sideCall(c) ?? fault : ok.reply(c)));
}

/**
 * Limit and auth wording inside the agent's *work*, never from the provider: write `path` with an
 * alarming body (unless `readOnly`: the file is already there), read it back through the shell (so
 * the CLI streams it as a tool result), then answer with the same words. A classifier that reads
 * tool output or file contents sees a usage limit, a 429 and a 401 here.
 */
export function limitWordsInWork(path: string, body: string, o: { readOnly?: boolean } = {}): Scenario {
  return Scenarios.custom("limitWordsInWork", (c) => {
    const side = sideCall(c);
    if (side) return side;
    const results = c.turns.filter((t) => t.role === "tool").length;
    if (results === 0 && !o.readOnly) {
      const call = Scenarios.writeFileCall(c.tools, path, body);
      return call ? { kind: "tool", call } : { kind: "text", text: "no write tool" };
    }
    if (results === (o.readOnly ? 0 : 1)) {
      const call = shellCall(c.tools, `cat ${path}`);
      return call ? { kind: "tool", call } : { kind: "text", text: "no shell tool" };
    }
    return { kind: "text", text: `Done. The file reads: ${body.trim()}` };
  });
}
