import { HARNESS_ALIASES, isBuiltinHarnessId } from "../harness/ids.ts";
import { IDENTIFIER, type HarnessConfig } from "./schema.ts";

// Load-time checks of `[harness.<name>]` tables (spec 01 §3.6, §3.11). Each problem is returned as
// data with the key path it concerns, so the loader can name the file it came from.

export interface ConfigProblem {
  /** Key path inside the merged config, e.g. ["harness", "123bad"]. */
  path: string[];
  message: string;
  hint?: string;
}

const BUILTIN_ONLY_MODELS = ["command", "model_flag", "output_strategy", "tail_stream"] as const;
const TAIL_STREAMS = ["stdout", "stderr", "combined"];

export function isBuiltinHarnessName(name: string): boolean {
  return isBuiltinHarnessId(name) || name in HARNESS_ALIASES;
}

export function validateHarnesses(harnesses: Record<string, HarnessConfig>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const name of Object.keys(harnesses).sort()) {
    const h = harnesses[name]!;
    const at = ["harness", name];
    if (!IDENTIFIER.test(name)) {
      problems.push({
        path: at,
        message: `invalid harness name "${name}": must match ${IDENTIFIER.source}`,
        hint: "harness names start with a letter and use only letters, digits, - and _",
      });
      continue;
    }
    if (isBuiltinHarnessName(name)) {
      const declared = BUILTIN_ONLY_MODELS.find((k) => h[k] !== undefined);
      if (declared) {
        problems.push({
          path: [...at, declared],
          message: `built-in harness "${name}" cannot declare ${declared}`,
          hint: `built-ins take only models, env and extra_args; define a custom [harness.<other-name>] to run your own command`,
        });
      }
    } else {
      problems.push(...validateCustomCommand(name, h));
    }
    problems.push(...validateModels(name, h.models));
  }
  return problems;
}

function validateCustomCommand(name: string, h: HarnessConfig): ConfigProblem[] {
  const at = ["harness", name];
  const out: ConfigProblem[] = [];
  if (h.command?.some((part) => part.includes("$MODEL"))) {
    out.push({
      path: [...at, "command"],
      message: `harness "${name}" command contains $MODEL; use model_flag instead of $MODEL placeholder`,
      hint: `set model_flag = "--model" (or "" to pass the model as a bare argument)`,
    });
  }
  if (h.output_strategy !== undefined && h.output_strategy !== "tail") {
    out.push({
      path: [...at, "output_strategy"],
      message: `harness "${name}" output_strategy "${h.output_strategy}" is not supported; only "tail" is accepted in this version`,
    });
  }
  if (h.tail_stream !== undefined && !TAIL_STREAMS.includes(h.tail_stream)) {
    out.push({
      path: [...at, "tail_stream"],
      message: `harness "${name}" tail_stream "${h.tail_stream}" is invalid; must be one of stdout, stderr, combined`,
    });
  }
  return out;
}

function validateModels(name: string, models: Record<string, string>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const [alias, model] of Object.entries(models)) {
    const at = ["harness", name, "models", alias];
    if (!IDENTIFIER.test(alias) || /^\d+$/.test(alias)) {
      out.push({
        path: at,
        message: `harness "${name}" model name "${alias}" is invalid: must be a non-numeric identifier matching ${IDENTIFIER.source}`,
        hint: "numbers after a colon are quotas (cc:2), so model names must start with a letter",
      });
    } else if (model.trim() === "") {
      out.push({ path: at, message: `harness "${name}" model name "${alias}" has an empty model string` });
    }
  }
  return out;
}

/** Non-fatal: a custom harness running bare `opencode` starts its TUI, which never exits. */
export function opencodeTuiNotes(harnesses: Record<string, HarnessConfig>): string[] {
  return Object.entries(harnesses)
    .filter(([, h]) => h.command?.[0] === "opencode" && h.command[1] !== "run")
    .map(
      ([name]) =>
        `config: harness "${name}" command is ["opencode"] without "run" subcommand — this starts opencode in TUI mode, which will not exit cleanly; use ["opencode", "run", "$PROMPT", "--format", "json"] or the built-in "op" alias instead`,
    );
}

export function validateReasoningKeys(reasoning: Record<string, string>): ConfigProblem[] {
  const seen = new Map<string, string>();
  for (const key of Object.keys(reasoning)) {
    const norm = key.trim().toLowerCase();
    if (!norm) return [{ path: ["reasoning"], message: "[reasoning] contains an empty role key" }];
    const prev = seen.get(norm);
    if (prev !== undefined) {
      return [{ path: ["reasoning", key], message: `duplicate reasoning keys "${prev}" and "${key}" differ only by case` }];
    }
    seen.set(norm, key);
  }
  return [];
}
