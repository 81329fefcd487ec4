import { RallyError } from "../errors.ts";
import { execInteractive } from "../sys/exec.ts";

/** Open `path` in $VISUAL, else $EDITOR, else vi. The variable may carry flags (`code --wait`). */
export async function openInEditor(path: string, env: Record<string, string | undefined>): Promise<void> {
  const editor = (env.VISUAL?.trim() || env.EDITOR?.trim() || "vi").split(/\s+/);
  let code: number;
  try {
    code = await execInteractive([...editor, path], { cwd: process.cwd() });
  } catch {
    throw new RallyError("EDITOR_FAILED", `could not start editor "${editor[0]}"`, "set $VISUAL or $EDITOR to an installed editor");
  }
  if (code !== 0) throw new RallyError("EDITOR_FAILED", `editor "${editor.join(" ")}" exited with status ${code}`, `your changes to ${path} may not be saved`);
}
