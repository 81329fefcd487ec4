import { RallyError } from "../errors.ts";
import { buildRouteLanes, type RoutesConfig } from "./lanes.ts";

// Relay start-up validation of `[routes]` (runs in every mode, override included).

export type StartupRouteCheck = {
  /** Warnings to print (without the `warning: ` prefix). */
  warnings: string[];
  /** Invalid routes exist or the default is missing: ask "Continue anyway?" (default No). */
  needsConfirm: boolean;
  /** Start-up must fail with this error; no prompt. */
  fatal?: RallyError;
};

export function startupRouteCheck(config: RoutesConfig, opts: { lapsAvailable: boolean }): StartupRouteCheck {
  const names = Object.keys(config.routes);
  if (names.length === 0) return { warnings: [], needsConfirm: false };
  const { lanes, invalid, warnings } = buildRouteLanes(config);
  if (lanes.length === 0) return { warnings, needsConfirm: false, fatal: invalid[0]!.error };
  const out: StartupRouteCheck = { warnings: [...warnings], needsConfirm: invalid.length > 0 };
  for (const { name, error } of invalid) out.warnings.push(`route "${name}" is invalid and will be ignored: ${error.message}`);
  if (!lanes.some((l) => l.name.toLowerCase() === "default")) {
    out.warnings.push("no valid default route is configured; laps without a matching assignee will fail at run-time");
    if (!opts.lapsAvailable) {
      out.fatal = new RallyError(
        "ROUTING_NO_DEFAULT",
        "route startup validation failed: no valid default route is configured and no laps are available",
        "add a [routes] default entry, or pass agents with --agent (`rally routes check` shows the routes)",
      );
    } else out.needsConfirm = true;
  }
  return out;
}
