// The one kind of error a user is expected to see: expected, actionable, printed once by main.ts
// as `error: <message> (<hint>)` with exit code 1 and no stack trace.
export class RallyError extends Error {
  override readonly name = "RallyError";
  constructor(
    /** Stable UPPER_SNAKE code, e.g. CONFIG_TOML_SYNTAX; tests assert on it. */
    readonly code: string,
    message: string,
    /** How to fix it, phrased as an instruction. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function isRallyError(err: unknown): err is RallyError {
  return err instanceof RallyError;
}

/** The single line main.ts prints for a user error. */
export function formatUserError(err: RallyError): string {
  return err.hint ? `error: ${err.message} (${err.hint})` : `error: ${err.message}`;
}
