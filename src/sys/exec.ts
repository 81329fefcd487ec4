// Short-lived helper processes (git, laps, editors): argv arrays only, never a shell string.
// Agent processes have their own supervisor in relay/; this is for commands that finish quickly.

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  stdin?: string;
}

export async function exec(argv: string[], opts: ExecOptions): Promise<ExecResult> {
  let proc;
  try {
    proc = Bun.spawn(argv, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
      stdout: "pipe",
      stderr: "pipe",
    });
  } catch (err) {
    // ENOENT and friends: report like a failed command so callers have one path.
    return { code: 127, stdout: "", stderr: String((err as Error).message ?? err) };
  }
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

/** Run a program with the terminal attached (editors). Resolves to its exit code. */
export async function execInteractive(argv: string[], opts: { cwd: string }): Promise<number> {
  const proc = Bun.spawn(argv, { cwd: opts.cwd, stdin: "inherit", stdout: "inherit", stderr: "inherit" });
  return proc.exited;
}
