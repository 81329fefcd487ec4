// Scripted model server for driving real agent CLIs offline.
//
//   const server = startModelServer({ scenario: Scenarios.text("hello") });
//   ... point a CLI at server.url ...
//   server.setScenario(Scenarios.rateLimit429());
//   expect(server.modelRequests().length).toBe(1);
//   await server.stop();
//
// Wire formats: Anthropic Messages, OpenAI Responses, OpenAI Chat Completions, Gemini
// (streamGenerateContent ?alt=sse and generateContent), plus the side endpoints the CLIs touch.

import { anthropic } from "./anthropic.ts";
import { gemini } from "./gemini.ts";
import { openaiChat } from "./openai-chat.ts";
import { openaiResponses } from "./openai-responses.ts";
import { jsonResponse, stallResponse, SSE_HEADERS } from "./sse.ts";
import type { Protocol, Reply, Scenario, WireAdapter } from "./types.ts";

export * as Scenarios from "./scenarios.ts";
export type { Conversation, FaultKind, FaultOptions, Protocol, Reply, Scenario, ToolCall, Turn } from "./types.ts";

export interface LoggedRequest {
  seq: number;
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON, or null when empty. */
  body: any;
  /** Set for model calls (the four wire formats), unset for side endpoints. */
  protocol?: Protocol;
  scenario?: string;
  reply?: Reply["kind"] | `fault:${string}`;
}

export interface ModelServer {
  url: string;
  port: number;
  requests: LoggedRequest[];
  /** The logged model calls only (no HEAD warm-ups, model lists, token counts). */
  modelRequests(): LoggedRequest[];
  setScenario(scenario: Scenario): void;
  /** Resolves with the first logged request (from now or already logged) that matches. */
  waitForRequest(match: (r: LoggedRequest) => boolean, timeoutMs?: number): Promise<LoggedRequest>;
  stop(): Promise<void>;
}

export interface ModelServerOptions {
  scenario: Scenario;
  /** Models listed by GET /v1/models and /v1beta/models. */
  models?: string[];
}

interface Route {
  adapter: WireAdapter;
  model: (body: any) => string;
  stream: (body: any) => boolean;
}

function routeFor(method: string, path: string): Route | undefined {
  if (method !== "POST") return undefined;
  if (/\/messages$/.test(path)) return { adapter: anthropic, model: (b) => String(b?.model ?? ""), stream: (b) => b?.stream === true };
  if (/\/responses$/.test(path)) return { adapter: openaiResponses, model: (b) => String(b?.model ?? ""), stream: (b) => b?.stream === true };
  if (/\/chat\/completions$/.test(path)) return { adapter: openaiChat, model: (b) => String(b?.model ?? ""), stream: (b) => b?.stream === true };
  const g = /\/models\/([^/:]+):(streamGenerateContent|generateContent)$/.exec(path);
  if (g) return { adapter: gemini, model: () => decodeURIComponent(g[1]!), stream: () => g[2] === "streamGenerateContent" };
  return undefined;
}

function sideEndpoint(method: string, path: string, body: any, models: string[]): Response | undefined {
  if (path === "/" || path === "") return new Response(method === "HEAD" ? null : "mock model server", { status: 200 });
  if (method === "POST" && /\/messages\/count_tokens$/.test(path)) {
    return jsonResponse({ input_tokens: Math.ceil(JSON.stringify(body ?? "").length / 4) });
  }
  if (method === "POST" && /:countTokens$/.test(path)) return jsonResponse({ totalTokens: Math.ceil(JSON.stringify(body ?? "").length / 4) });
  if (method === "GET" && /\/v1beta\/models$/.test(path)) {
    return jsonResponse({ models: models.map((m) => ({ name: `models/${m}`, displayName: m, supportedGenerationMethods: ["generateContent", "streamGenerateContent", "countTokens"] })) });
  }
  if (method === "GET" && /\/models$/.test(path)) {
    // One list that satisfies both the OpenAI and the Anthropic readers.
    const data = models.map((id) => ({ id, object: "model", type: "model", display_name: id, created: 0, created_at: "2026-01-01T00:00:00Z", owned_by: "mock" }));
    return jsonResponse({ object: "list", data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
  }
  return undefined;
}

async function readBody(req: Request): Promise<any> {
  const raw = await req.text();
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function untilAborted(signal: AbortSignal): Promise<Response> {
  return new Promise((resolve) => {
    const done = () => resolve(new Response(null, { status: 499 }));
    if (signal.aborted) done();
    else signal.addEventListener("abort", done, { once: true });
  });
}

export function startModelServer(options: ModelServerOptions): ModelServer {
  let scenario = options.scenario;
  const models = options.models ?? ["mock-model", "claude-sonnet-4-5", "gemini-2.5-pro"];
  const requests: LoggedRequest[] = [];
  const waiters = new Set<{ match: (r: LoggedRequest) => boolean; resolve: (r: LoggedRequest) => void }>();
  let seq = 0;

  const log = (entry: LoggedRequest) => {
    requests.push(entry);
    for (const w of waiters) {
      if (w.match(entry)) {
        waiters.delete(w);
        w.resolve(entry);
      }
    }
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    // 0 = never close idle sockets: `hang` must keep the connection open for the test.
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const body = await readBody(req);
      const entry: LoggedRequest = {
        seq: ++seq,
        at: Date.now(),
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(req.headers),
        body,
      };
      const route = routeFor(req.method, url.pathname);
      if (!route) {
        log(entry);
        return sideEndpoint(req.method, url.pathname, body, models) ?? jsonResponse({ error: { message: `mock: no route for ${req.method} ${url.pathname}` } }, 404);
      }
      const ctx = { model: route.model(body), stream: route.stream(body), seq: entry.seq };
      const reply = scenario.reply(route.adapter.parse(body, ctx.model));
      entry.protocol = route.adapter.protocol;
      entry.scenario = scenario.name;
      entry.reply = reply.kind === "fault" ? `fault:${reply.fault}` : reply.kind;
      log(entry);
      if (reply.kind !== "fault") return route.adapter.render(reply, ctx);
      switch (reply.fault) {
        case "hang":
          return untilAborted(req.signal);
        case "stallAfterHeaders":
          return stallResponse(route.adapter.stallPrelude(ctx), req.signal);
        case "malformed":
          return new Response(route.adapter.malformedBody(ctx, reply.options.cut === true), { status: 200, headers: SSE_HEADERS });
        default:
          return route.adapter.errorResponse(reply.fault, reply.options);
      }
    },
  });

  const port = server.port!;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    modelRequests: () => requests.filter((r) => r.protocol !== undefined),
    setScenario(next) {
      scenario = next;
    },
    waitForRequest(match, timeoutMs = 30_000) {
      const found = requests.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (r: LoggedRequest) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`mock: no matching request within ${timeoutMs} ms (${requests.length} logged)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async stop() {
      await server.stop(true);
    },
  };
}
