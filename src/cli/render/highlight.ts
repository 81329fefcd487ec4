// `rally tail --highlight`: colour a try log line by line. Only SGR codes are ever added, so the
// visible text is exactly the log's. A chunk's last line may be cut mid-way (tail writes what it
// has read); it is coloured as it stands, which may differ from the whole line: that is accepted.

export const HIGHLIGHT_MODES = ["off", "heuristic", "chroma"] as const;
export type HighlightMode = (typeof HIGHLIGHT_MODES)[number];

export function isHighlightMode(value: string): value is HighlightMode {
  return (HIGHLIGHT_MODES as readonly string[]).includes(value);
}

const sgr = (code: string, text: string) => (text ? `\x1b[${code}m${text}\x1b[0m` : text);

/**
 * What to do to each chunk of log text, or undefined to pass bytes through untouched.
 * `heuristic` colours only when colour is on (a terminal, no NO_COLOR); `chroma` always does.
 */
export function highlighter(mode: HighlightMode, colour: boolean): ((text: string) => string) | undefined {
  const line = mode === "chroma" ? chromaLine : mode === "heuristic" && colour ? heuristicLine : undefined;
  if (!line) return undefined;
  return (text) => text.split("\n").map((l) => (l.endsWith("\r") ? line(l.slice(0, -1)) + "\r" : line(l))).join("\n");
}

function looksLikeJson(line: string): boolean {
  const t = line.trim();
  return (t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"));
}

// ---- heuristic: a few things worth seeing in a plain log ---------------------------------------

const TIMESTAMP = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?|\b\d{2}:\d{2}:\d{2}\b`;
const INLINE = new RegExp(String.raw`(https?://[^\s"']+)|(${TIMESTAMP})|\b(error|panic|fatal|fail|failed)\b`, "gi");

export function heuristicLine(line: string): string {
  if (looksLikeJson(line)) return sgr("92", line);
  if (line.startsWith("$ ") || line.startsWith("> ")) return sgr("96", line);
  return line.replace(INLINE, (m, url: string | undefined, time: string | undefined) => sgr(url ? "94;4" : time ? "90" : "91", m));
}

// ---- chroma: token colours for JSON event lines and shell-like text (256 colours) --------------

const C = { key: "38;5;197", string: "38;5;186", number: "38;5;141", literal: "38;5;81", punct: "38;5;231", command: "38;5;148", flag: "38;5;208", comment: "38;5;242", variable: "38;5;81" };

const JSON_TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],:])/g;
const SHELL_TOKEN = /(#.*$)|('[^']*'|"(?:[^"\\]|\\.)*")|(\$\{?\w+\}?)|(?<=^|\s)(--?[\w-]+)/g;

export function chromaLine(line: string): string {
  if (looksLikeJson(line)) {
    return line.replace(JSON_TOKEN, (m, str: string | undefined, colon: string | undefined, num, lit) => {
      if (str !== undefined) return sgr(colon ? C.key : C.string, str) + (colon ?? "");
      return sgr(num !== undefined ? C.number : lit !== undefined ? C.literal : C.punct, m);
    });
  }
  const command = /^(\s*)(\S+)/.exec(line);
  const head = command ? command[1] + sgr(C.command, command[2]!) : "";
  const rest = line.slice(command ? command[0].length : 0);
  return head + rest.replace(SHELL_TOKEN, (m, comment, str, variable) =>
    sgr(comment !== undefined ? C.comment : str !== undefined ? C.string : variable !== undefined ? C.variable : C.flag, m));
}
