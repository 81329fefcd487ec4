import type { Config, HarnessConfig } from "../config/schema.ts";
import { RallyError } from "../errors.ts";
import { BUILTIN_DESCRIPTORS } from "./builtin.ts";
import { customHarness } from "./custom.ts";
import { HARNESS_ALIASES, isBuiltinHarnessId, type BuiltinHarnessId } from "./ids.ts";
import type { HarnessDescriptor } from "./types.ts";

// Built-in descriptors, with the user's `[harness.<name>]` tables laid over them: a custom
// command defines a new harness; a built-in table adds models, env and extra_args.

const EMPTY: HarnessConfig = { models: {}, env: {}, extra_args: [] };

/** The `[harness.X]` table for a harness, merging every alias's table for built-ins. */
export function harnessConfigFor(config: Pick<Config, "harness">, name: string): HarnessConfig {
  if (!isBuiltinHarnessId(name)) return config.harness[name] ?? EMPTY;
  const tables = [name, ...Object.entries(HARNESS_ALIASES).filter(([, id]) => id === name).map(([a]) => a)]
    .map((n) => config.harness[n])
    .filter((t): t is HarnessConfig => t !== undefined);
  return tables.reduce<HarnessConfig>(
    (acc, t) => ({ ...acc, models: { ...acc.models, ...t.models }, env: { ...acc.env, ...t.env }, extra_args: [...acc.extra_args, ...t.extra_args] }),
    EMPTY,
  );
}

export function createHarnessRegistry(config: Pick<Config, "harness">) {
  return {
    resolve(name: string): HarnessDescriptor {
      if (isBuiltinHarnessId(name)) {
        const descriptor = BUILTIN_DESCRIPTORS[name as BuiltinHarnessId];
        if (descriptor) return descriptor;
        throw new RallyError("HARNESS_UNAVAILABLE", `harness "${name}" is not available in this build`, "use a custom [harness.<name>] with a command");
      }
      const table = config.harness[name];
      if (table?.command) return customHarness(name, table);
      throw new RallyError(
        "HARNESS_NO_COMMAND",
        `harness "${name}" has no command`,
        `add command = ["your-agent", "$PROMPT"] to [harness.${name}] or use a built-in alias (cc, cx, ge, op, ag)`,
      );
    },
  };
}
