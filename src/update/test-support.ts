import type { Fetch, ReleaseSource } from "./release-source.ts";

// Unit-test fakes for the release source: a fetch over a URL → response table.

export type FakeAnswer = string | Uint8Array | number | ReadableStream<Uint8Array> | "hang";

export function fakeSource(table: Record<string, FakeAnswer>, opts: Partial<ReleaseSource> = {}): ReleaseSource & { calls: string[] } {
  const calls: string[] = [];
  const fetchFake: Fetch = (url, init) => {
    calls.push(url);
    const answer = table[url];
    if (answer === "hang") {
      return new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    }
    if (answer === undefined) return Promise.resolve(new Response("nope", { status: 404 }));
    if (typeof answer === "number") return Promise.resolve(new Response("err", { status: answer }));
    return Promise.resolve(new Response(answer));
  };
  return { base: "http://rel", fetch: fetchFake, metaTimeoutMs: 1_000, downloadTimeoutMs: 1_000, calls, ...opts };
}
