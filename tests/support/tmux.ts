// Drive rally in a real pseudo-terminal: a detached tmux session of a given size.

export interface TmuxSession extends AsyncDisposable {
  name: string;
  capture(): string;
  keys(...keys: string[]): void;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
}

const tmux = (args: string[]) => Bun.spawnSync(["tmux", ...args], { stdout: "pipe", stderr: "pipe" });

export const hasTmux = Bun.which("tmux") !== null;

let counter = 0;
export function tmuxSession(command: string, opts: { width: number; height?: number; env: Record<string, string> }): TmuxSession {
  if (!hasTmux) throw new Error("the terminal tests need tmux (apt-get install tmux); .ci/run installs it");
  const name = `rally-test-${process.pid}-${++counter}`;
  const exports = Object.entries(opts.env).map(([k, v]) => `export ${k}=${shellQuote(v)};`).join(" ");
  // The exports live in a subshell so the pane's idle `sleep` does not carry the test's env.
  const r = tmux(["new-session", "-d", "-s", name, "-x", String(opts.width), "-y", String(opts.height ?? 30), `(${exports} ${command}); sleep 60`]);
  if (r.exitCode !== 0) throw new Error(`tmux failed: ${r.stderr.toString()}`);
  const capture = () => tmux(["capture-pane", "-p", "-t", name]).stdout.toString();
  return {
    name,
    capture,
    keys: (...keys) => void tmux(["send-keys", "-t", name, ...keys]),
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = capture();
        if (typeof pattern === "string" ? screen.includes(pattern) : pattern.test(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on screen:\n${screen}`);
        await Bun.sleep(100);
      }
    },
    async [Symbol.asyncDispose]() {
      tmux(["kill-session", "-t", name]);
    },
  };
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
