import { createHash } from "node:crypto";

// A fake rally release on a local static HTTP server (127.0.0.1, random port), laid out like
// GitHub releases: <base>/latest/download/<file> and <base>/download/v<version>/<file>.

/** Respond with these bytes, an HTTP status, or never answer. */
export type Entry = string | Uint8Array | { status: number } | "hang";

export interface ReleaseServer extends AsyncDisposable {
  /** The release base URL (what RALLY_UPDATE_BASE_URL / RALLY_INSTALL_BASE_URL take). */
  base: string;
  /** Request paths in arrival order. */
  hits: string[];
  routes: Map<string, Entry>;
}

export function serveFiles(routes: Map<string, Entry> = new Map()): ReleaseServer {
  const hits: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 30,
    fetch(req) {
      const path = new URL(req.url).pathname;
      hits.push(path);
      const entry = routes.get(path);
      if (entry === "hang") return new Promise<Response>(() => {});
      if (entry === undefined) return new Response("not found", { status: 404 });
      if (typeof entry === "object" && "status" in entry) return new Response("error", { status: entry.status });
      return new Response(entry);
    },
  });
  return {
    base: `http://127.0.0.1:${server.port}/releases`,
    hits,
    routes,
    async [Symbol.asyncDispose]() {
      await server.stop(true);
    },
  };
}

export interface FakeRelease {
  version: string;
  /** asset name → contents */
  assets: Record<string, string | Uint8Array>;
  /** SHA256SUMS text; default: the true sums of `assets`. */
  sums?: string;
  /** Also serve it under latest/download (default true). */
  latest?: boolean;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function sumsOf(assets: Record<string, string | Uint8Array>): string {
  return Object.entries(assets).map(([name, data]) => `${sha256Hex(data)}  ${name}\n`).join("");
}

/** Put a release's files into a server's routes. */
export function addRelease(server: ReleaseServer, release: FakeRelease): void {
  const files: Record<string, Entry> = { ...release.assets, SHA256SUMS: release.sums ?? sumsOf(release.assets), VERSION: `${release.version}\n` };
  const dirs = [`/releases/download/v${release.version}`, ...(release.latest === false ? [] : ["/releases/latest/download"])];
  for (const dir of dirs) for (const [name, data] of Object.entries(files)) server.routes.set(`${dir}/${name}`, data);
}

/** A base URL where nothing listens (connection refused). */
export async function deadBase(): Promise<string> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port;
  await s.stop(true);
  return `http://127.0.0.1:${port}/releases`;
}

/** The asset name install.sh and `rally update` pick on this machine (glibc Linux / macOS). */
export function hostAsset(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  return `rally-${os}-${arch}${os === "windows" ? ".exe" : ""}`;
}
