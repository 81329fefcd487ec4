import { stripAnsi } from "../lines.ts";
import type { HarnessResult, OutputParser, Stream } from "../types.ts";

// `agy --print`: stdout is the agent's plain-text answer. The conversation id only appears in
// agy's glog-style log, which rally points at stderr (`--log-file=/dev/stderr`), as
// `I0521 12:00:00.000000 1 printmode.go:130] Print mode: conversation=<uuid>, sending message`.
// agy reports no structured errors, tool calls or usage; the classifier reads the stderr tail.

const CONVERSATION = /Print mode: conversation=([0-9A-Za-z-]+)/;
/** The answer is normally short; a runaway stdout keeps only its end. */
const MAX_ANSWER_CHARS = 256 * 1024;

export function createAntigravityParser(): OutputParser {
  let sessionId: string | undefined;
  let answer = "";
  return {
    onLine(stream: Stream, line: string) {
      const match = CONVERSATION.exec(line);
      if (match) sessionId = match[1]; // the last one wins: a resumed run logs the same id again
      if (stream !== "stdout" || match) return;
      answer += `${line}\n`;
      if (answer.length > MAX_ANSWER_CHARS) answer = answer.slice(answer.length - MAX_ANSWER_CHARS);
    },
    finish(exitCode): HarnessResult {
      const text = stripAnsi(answer).trim();
      return {
        completed: exitCode === 0 && text !== "",
        summary: text,
        sessionId,
        toolCalls: 0,
        errorEvents: [],
      };
    },
  };
}
