// c12 imports, at load time, modules for features rally turns off: JS/TS config files (jiti), rc
// files (rc9), package.json and workspace lookup (pkg-types), .env files (dotenv). exsolve, its
// module resolver, pulls in node:assert and node:util. Together they are ~15 ms of every command
// that reads config, for code that never runs: rally reads TOML layers by absolute path and passes
// every one of those options as off (src/config/load.ts). The compiled binary swaps each for the
// stand-in below; a stand-in that is ever called fails loudly instead of doing something else.
//
// `bun run rally` from source loads the real modules, so both builds must behave the same:
// tests/e2e/compiled.test.ts runs config layering and TOML errors through the compiled binary.

const unused = (what: string) => `() => { throw new Error("rally's compiled build leaves out ${what}"); }`;

export const UNUSED_DEPENDENCIES: Record<string, string> = {
  jiti: `export const createJiti = ${unused("jiti (JS/TS config files)")};`,
  rc9: `export const read = ${unused("rc9 (rc files)")}; export const readUser = read;`,
  "pkg-types": `export const findWorkspaceDir = ${unused("pkg-types")}; export const readPackageJSON = findWorkspaceDir;`,
  dotenv: `export const parse = ${unused("dotenv (.env files)")}; export const config = parse; export default { parse, config };`,
  // c12 resolves the config file it was given; rally always gives it an absolute path to a file.
  exsolve: `import { statSync } from "node:fs";
export function resolveModulePath(id, opts = {}) {
  const path = String(id);
  if (path.startsWith("/") || /^[A-Za-z]:[\\\\/]/.test(path)) {
    for (const ext of ["", ...(opts.extensions ?? [])]) {
      try { if (statSync(path + ext).isFile()) return path + ext; } catch {}
    }
  }
  if (opts.try) return undefined;
  throw new Error("rally's compiled build resolves config files by absolute path only: " + path);
}`,
};

/** A Bun.build plugin that replaces each of UNUSED_DEPENDENCIES with its stand-in. */
export const leaveOutUnusedDependencies: import("bun").BunPlugin = {
  name: "leave-out-unused-dependencies",
  setup(build) {
    const names = Object.keys(UNUSED_DEPENDENCIES).map((n) => n.replace(/[-/]/g, "\\$&"));
    build.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({ path: args.path, namespace: "unused-dependency" }));
    build.onLoad({ filter: /.*/, namespace: "unused-dependency" }, (args) => ({ contents: UNUSED_DEPENDENCIES[args.path]!, loader: "js" }));
  },
};
