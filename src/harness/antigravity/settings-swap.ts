import { isProcessAlive } from "../../sys/process-alive.ts";
import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join } from "pathe";
import { RallyError } from "../../errors.ts";

// agy has no model flag, so a run's model is written into agy's settings file for the run and the
// file is put back afterwards. A record of the swap is written first, so a rally that was killed
// mid-run can put the file back on its next start (restorePending). Swaps inside one rally process
// are serialised: agy reads the file whenever it likes, so two runs cannot hold two labels at once.

export interface SettingsSwap {
  /** Puts the settings file back as it was. Idempotent; errors are swallowed (best effort). */
  restore(): void;
}

interface SwapRecord {
  pid: number;
  model: string;
  existed: boolean;
  /** The original file, base64, so it comes back byte for byte. */
  original: string;
  mode: number;
}

export function settingsPath(home: string): string {
  return join(home, ".gemini", "antigravity-cli", "settings.json");
}

function recordPath(home: string): string {
  return `${settingsPath(home)}.rally-swap`;
}

/** Per settings file: the end of the chain of swaps waiting for it. */
const queues = new Map<string, Promise<void>>();

/** Swaps `model` into agy's settings under `home`; resolves once no other swap of this process is active. */
export async function prepare(home: string, model: string): Promise<SettingsSwap> {
  if (!model) return { restore() {} };
  let unlock!: () => void;
  const key = settingsPath(home);
  const previous = queues.get(key) ?? Promise.resolve();
  const mine = new Promise<void>((resolve) => (unlock = resolve));
  queues.set(key, mine);
  const release = () => {
    if (queues.get(key) === mine) queues.delete(key);
    unlock();
  };
  await previous;
  try {
    return swapIn(home, model, release);
  } catch (err) {
    release();
    throw err;
  }
}

function swapIn(home: string, model: string, release: () => void): SettingsSwap {
  const path = settingsPath(home);
  const existed = existsSync(path);
  const original = existed ? readFileSync(path) : Buffer.alloc(0);
  const settings = parseSettings(original.toString("utf8"), path);
  // Already the right label: nothing to write, but the lock is still held for the run so that no
  // other swap changes the label under this agy.
  if (settings.model === model) return { restore: release };
  const mode = existed ? statSync(path).mode & 0o777 : 0o600;
  const record: SwapRecord = { pid: process.pid, model, existed, original: original.toString("base64"), mode };
  mkdirSync(join(home, ".gemini", "antigravity-cli"), { recursive: true, mode: 0o700 });
  writeAtomically(recordPath(home), `${JSON.stringify(record)}\n`, 0o600);
  writeAtomically(path, formatSettings({ ...settings, model }), mode);
  let done = false;
  return {
    restore() {
      if (done) return;
      done = true;
      try {
        putBack(home, record);
      } catch {
        // best effort: the record stays, so the next start tries again
      } finally {
        release();
      }
    },
  };
}

export interface RestorePendingOptions {
  /** Whether a process is still running (injectable for tests). */
  isAlive?(pid: number): boolean;
}

/**
 * Puts back a swap left behind by a rally that died mid-run. Leaves it alone while that rally is
 * still running, and drops it without writing when the file no longer holds the swapped label
 * (someone chose another model since). Returns true when the settings file was restored.
 */
export function restorePending(home: string, opts: RestorePendingOptions = {}): boolean {
  const isAlive = opts.isAlive ?? isProcessAlive;
  let record: SwapRecord;
  try {
    record = JSON.parse(readFileSync(recordPath(home), "utf8")) as SwapRecord;
  } catch {
    return false;
  }
  if (record.pid !== process.pid && isAlive(record.pid)) return false;
  let current: Record<string, unknown> = {};
  try {
    current = parseSettings(existsSync(settingsPath(home)) ? readFileSync(settingsPath(home), "utf8") : "", settingsPath(home));
  } catch {
    // unreadable now: not ours to repair
  }
  if (current.model !== record.model) {
    unlinkQuietly(recordPath(home));
    return false;
  }
  putBack(home, record);
  return true;
}

function putBack(home: string, record: SwapRecord): void {
  const path = settingsPath(home);
  if (record.existed) {
    writeAtomically(path, Buffer.from(record.original, "base64"), record.mode);
  } else if (existsSync(path)) {
    // The file was created for the swap: drop only the model, keeping anything agy added since.
    const { model: _swapped, ...rest } = parseSettings(readFileSync(path, "utf8"), path);
    if (Object.keys(rest).length === 0) unlinkSync(path);
    else writeAtomically(path, formatSettings(rest), record.mode);
  }
  unlinkQuietly(recordPath(home));
}

function parseSettings(text: string, path: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RallyError("AGY_SETTINGS_PARSE", `antigravity settings parse: ${path}: ${(err as Error).message}`, "fix or remove the file, then retry");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RallyError("AGY_SETTINGS_PARSE", `antigravity settings parse: ${path}: not a JSON object`, "fix or remove the file, then retry");
  }
  return value as Record<string, unknown>;
}

/** Pretty JSON with sorted keys and a trailing newline, the way agy's own settings look. */
export function formatSettings(settings: Record<string, unknown>): string {
  return `${JSON.stringify(sortKeys(settings), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

function writeAtomically(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = join(dirname(path), `.settings-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(tmp, "wx", mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    fchmodSync(fd, mode); // the umask may have narrowed the mode given to open
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}


