import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { defineCommand } from "citty";
import { resolveWorkspace } from "../../git/workspace.ts";
import { Store } from "../../state/store.ts";
import { activeTry, selectTailTarget, type TailTarget } from "../../state/tail-target.ts";
import { RallyError } from "../../errors.ts";
import { colourOn, warn } from "../output.ts";
import { highlighter, HIGHLIGHT_MODES, isHighlightMode } from "../render/highlight.ts";
import { writeOut } from "../stdio.ts";

const POLL_MS = 500;

export default defineCommand({
  meta: { description: "Stream a try's log: the running try, else the latest; follows until that try ends" },
  args: {
    try: { type: "string", description: "Show the N-th try of this workspace (1 = oldest)" },
    follow: { type: "boolean", alias: "f", description: "After the try ends, wait for the next one and keep streaming" },
    highlight: { type: "string", description: "Colour the log: off (default), heuristic (only on a terminal), chroma (always)" },
  },
  async run({ args }) {
    const position = args.try === undefined ? 0 : Number(args.try);
    if (!Number.isInteger(position) || position < 0) throw new RallyError("TAIL_RANGE", `--try must be a positive whole number, got "${args.try}"`, "e.g. --try 1");
    const { root } = await resolveWorkspace(process.cwd());
    const open = () => Store.open(root, { triesLogDir: "", repair: false });
    let target = selectTailTarget(open(), position, Date.now());
    if (target.warning) warn(target.warning);
    const mode = args.highlight ?? "off";
    if (!isHighlightMode(mode)) {
      throw new RallyError("TAIL_HIGHLIGHT", `invalid highlight mode "${mode}", expected one of: ${HIGHLIGHT_MODES.join(", ")}`, "e.g. --highlight heuristic");
    }
    const paint = highlighter(mode, colourOn());
    const seen = new Set<number>();
    for (;;) {
      if (target.tryId) seen.add(target.tryId);
      await stream(target, () => isFinished(open(), target), paint);
      if (!args.follow || position > 0) return;
      target = await nextLiveTry(open, seen);
    }
  },
});

/** A live try is finished once its record is in tries.jsonl (or run-state forgot it). */
function isFinished(store: Store, target: TailTarget): boolean {
  if (!target.live) return true;
  if (store.tries.some((t) => t.id === target.tryId)) return true;
  return activeTry(store, Date.now()).target?.tryId !== target.tryId;
}

async function stream(target: TailTarget, finished: () => boolean, paint?: (text: string) => string): Promise<void> {
  if (!existsSync(target.logPath)) throw new RallyError("TAIL_NO_LOG", `open log file: ${target.logPath} does not exist`, "the data dir may have been cleaned");
  let offset = 0;
  const buf = Buffer.alloc(64 * 1024);
  const decoder = new TextDecoder();
  for (;;) {
    const done = finished(); // read after checking, so the last bytes are never missed
    const size = statSync(target.logPath).size;
    if (size < offset) offset = 0;
    const fd = openSync(target.logPath, "r");
    try {
      for (let n = 0; offset < size && (n = readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n) {
        writeOut(paint ? paint(decoder.decode(buf.subarray(0, n), { stream: true })) : buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    if (done) return;
    await Bun.sleep(POLL_MS);
  }
}

async function nextLiveTry(open: () => Store, seen: Set<number>): Promise<TailTarget> {
  for (;;) {
    const active = activeTry(open(), Date.now()).target;
    if (active && !seen.has(active.tryId ?? -1)) return active;
    await Bun.sleep(POLL_MS);
  }
}
