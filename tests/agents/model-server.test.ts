// Fast unit tests of the scripted model server, with plain fetch. Always run.

import { afterEach, describe, expect, test } from "bun:test";
import { type ModelServer, Scenarios, startModelServer } from "../support/model-server.ts";

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function start(scenario = Scenarios.text("hello")): ModelServer {
  server = startModelServer({ scenario });
  return server;
}

function post(s: ModelServer, path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${s.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...init });
}

/** data: payloads of an SSE body, JSON-parsed where possible. */
async function sseData(res: Response): Promise<any[]> {
  const text = await res.text();
  return text
    .split(/\r?\n/)
    .filter((l) => l.startsWith("data: "))
    .map((l) => l.slice(6))
    .map((d) => {
      try {
        return JSON.parse(d);
      } catch {
        return d;
      }
    });
}

const anthropicReq = (messages: unknown[], tools: string[] = []) => ({
  model: "claude-sonnet-4-5",
  stream: true,
  messages,
  tools: tools.map((name) => ({ name, input_schema: { type: "object" } })),
});
const chatReq = (messages: unknown[], tools: string[] = []) => ({
  model: "mock-model",
  stream: true,
  messages,
  tools: tools.map((name) => ({ type: "function", function: { name, parameters: {} } })),
});
const responsesReq = (input: unknown[], tools: string[] = []) => ({
  model: "mock-model",
  stream: true,
  input,
  tools: tools.map((name) => ({ type: "function", name, parameters: {} })),
});
const geminiReq = (contents: unknown[], tools: string[] = []) => ({
  contents,
  tools: [{ functionDeclarations: tools.map((name) => ({ name })) }],
});
const GEMINI_STREAM = "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse";

describe("text scenario on each wire format", () => {
  test("anthropic SSE carries the reply in a text_delta and ends with message_stop", async () => {
    const s = start();
    const res = await post(s, "/v1/messages?beta=true", anthropicReq([{ role: "user", content: "hi" }]));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await sseData(res);
    expect(events.map((e) => e.type)).toEqual(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    expect(events[2].delta).toEqual({ type: "text_delta", text: "hello" });
    expect(events[4].delta.stop_reason).toBe("end_turn");
  });

  test("anthropic without stream answers one JSON message", async () => {
    const s = start();
    const res = await post(s, "/v1/messages", { ...anthropicReq([{ role: "user", content: "hi" }]), stream: false });
    const body = (await res.json()) as any;
    expect(body.content).toEqual([{ type: "text", text: "hello" }]);
  });

  test("openai responses SSE ends with response.completed holding the message", async () => {
    const s = start();
    const events = await sseData(await post(s, "/v1/responses", responsesReq([{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }])));
    expect(events[0].type).toBe("response.created");
    expect(events.find((e) => e.type === "response.output_text.delta").delta).toBe("hello");
    const done = events.at(-1);
    expect(done.type).toBe("response.completed");
    expect(done.response.output[0].content[0].text).toBe("hello");
  });

  test("openai chat SSE streams content, a stop chunk, then [DONE]", async () => {
    const s = start();
    const events = await sseData(await post(s, "/v1/chat/completions", chatReq([{ role: "user", content: "hi" }])));
    expect(events.map((e) => e.choices?.[0]?.delta?.content).join("")).toBe("hello");
    expect(events.some((e) => e.choices?.[0]?.finish_reason === "stop")).toBe(true);
    expect(events.at(-1)).toBe("[DONE]");
  });

  test("gemini streamGenerateContent SSE and generateContent JSON", async () => {
    const s = start();
    const contents = [{ role: "user", parts: [{ text: "hi" }] }];
    const events = await sseData(await post(s, GEMINI_STREAM, geminiReq(contents)));
    expect(events[0].candidates[0].content.parts[0].text).toBe("hello");
    const single = (await (await post(s, "/v1beta/models/x:generateContent", geminiReq(contents))).json()) as any;
    expect(single.candidates[0].finishReason).toBe("STOP");
  });

  test("gemini structured-output side calls get schema-shaped JSON", async () => {
    const s = start();
    const schema = { type: "object", properties: { next_speaker: { type: "string", enum: ["user", "model"] }, reasoning: { type: "string" } } };
    const body = { contents: [{ role: "user", parts: [{ text: "who speaks?" }] }], generationConfig: { responseJsonSchema: schema } };
    const res = (await (await post(s, "/v1beta/models/x:generateContent", body)).json()) as any;
    expect(JSON.parse(res.candidates[0].content.parts[0].text)).toEqual({ next_speaker: "user", reasoning: "mock" });
  });
});

describe("writeFile scenario", () => {
  const path = "/tmp/repo/out.txt";

  test("picks each CLI's write tool with its argument names", async () => {
    const s = start(Scenarios.writeFile(path, "hi\n"));
    const claude = await sseData(await post(s, "/v1/messages", anthropicReq([{ role: "user", content: "go" }], ["Bash", "Write"])));
    expect(claude[1].content_block).toMatchObject({ type: "tool_use", name: "Write" });
    expect(JSON.parse(claude[2].delta.partial_json)).toEqual({ file_path: path, content: "hi\n" });
    expect(claude[4].delta.stop_reason).toBe("tool_use");

    const oc = await sseData(await post(s, "/v1/chat/completions", chatReq([{ role: "user", content: "go" }], ["bash", "write"])));
    const call = oc.find((e) => e.choices?.[0]?.delta?.tool_calls).choices[0].delta.tool_calls[0];
    expect(call.function.name).toBe("write");
    expect(JSON.parse(call.function.arguments)).toEqual({ filePath: path, content: "hi\n" });

    const gem = await sseData(await post(s, GEMINI_STREAM, geminiReq([{ role: "user", parts: [{ text: "go" }] }], ["run_shell_command", "write_file"])));
    expect(gem[0].candidates[0].content.parts[0].functionCall).toMatchObject({ name: "write_file", args: { file_path: path, content: "hi\n" } });
  });

  test("falls back to the shell tool; the shell script really writes the file", async () => {
    const s = start(Scenarios.writeFile(`${process.env.TMPDIR ?? "/tmp"}/ms-test-${process.pid}.txt`, "it's\nok\n"));
    const events = await sseData(await post(s, "/v1/responses", responsesReq([{ role: "user", content: "go" }], ["exec_command", "write_stdin"])));
    const item = events.find((e) => e.type === "response.output_item.done").item;
    expect(item).toMatchObject({ type: "function_call", name: "exec_command" });
    const { cmd } = JSON.parse(item.arguments);
    const proc = Bun.spawnSync(["bash", "-c", cmd]);
    expect(proc.exitCode).toBe(0);
    const file = Bun.file(`${process.env.TMPDIR ?? "/tmp"}/ms-test-${process.pid}.txt`);
    expect(await file.text()).toBe("it's\nok\n");
    await file.delete();
  });

  test("answers the final text once the last message is a tool result", async () => {
    const s = start(Scenarios.writeFile(path, "x"));
    const input = [
      { role: "user", content: "go" },
      { type: "function_call", name: "exec_command", arguments: "{}", call_id: "c1" },
      { type: "function_call_output", call_id: "c1", output: "ok" },
    ];
    const events = await sseData(await post(s, "/v1/responses", responsesReq(input, ["exec_command"])));
    expect(events.at(-1).response.output[0].content[0].text).toBe("done: file written");
  });

  test("a tool-less side request (title generation) gets plain text", async () => {
    const s = start(Scenarios.writeFile(path, "x"));
    const events = await sseData(await post(s, "/v1/chat/completions", chatReq([{ role: "user", content: "make a title" }])));
    expect(events.some((e) => e.choices?.[0]?.delta?.tool_calls)).toBe(false);
  });
});

describe("codeword scenario", () => {
  test("acknowledges, then answers only from the history in the request", async () => {
    const s = start(Scenarios.codeword());
    const text = async (messages: unknown[]) => {
      const events = await sseData(await post(s, "/v1/chat/completions", chatReq(messages)));
      return events.map((e) => e.choices?.[0]?.delta?.content ?? "").join("");
    };
    expect(await text([{ role: "user", content: "Please remember the codeword PELICAN." }])).toBe("OK");
    const history = [
      { role: "user", content: "Please remember the codeword PELICAN." },
      { role: "assistant", content: "OK" },
      { role: "user", content: "What was the codeword?" },
    ];
    expect(await text(history)).toBe("PELICAN");
    expect(await text([{ role: "user", content: "What was the codeword?" }])).toBe("I do not know");
  });

  test("reads history in the anthropic and gemini shapes too", async () => {
    const s = start(Scenarios.codeword());
    const a = await sseData(
      await post(s, "/v1/messages", anthropicReq([
        { role: "user", content: [{ type: "text", text: "remember the codeword OTTER" }] },
        { role: "assistant", content: [{ type: "text", text: "OK" }] },
        { role: "user", content: [{ type: "text", text: "what is the codeword?" }] },
      ])),
    );
    expect(a[2].delta.text).toBe("OTTER");
    const g = await sseData(
      await post(s, GEMINI_STREAM, geminiReq([
        { role: "user", parts: [{ text: "<session_context>…</session_context>" }, { text: "remember the codeword HERON" }] },
        { role: "model", parts: [{ text: "OK" }] },
        { role: "user", parts: [{ text: "what was the codeword?" }] },
      ])),
    );
    expect(g[0].candidates[0].content.parts[0].text).toBe("HERON");
  });
});

describe("fault scenarios", () => {
  const msg = anthropicReq([{ role: "user", content: "hi" }]);

  test("rateLimit429 has retry-after and the provider's error type", async () => {
    const s = start(Scenarios.rateLimit429());
    const a = await post(s, "/v1/messages", msg);
    expect(a.status).toBe(429);
    expect(a.headers.get("retry-after")).toBe("1");
    expect(((await a.json()) as any).error.type).toBe("rate_limit_error");
    const g = await post(s, GEMINI_STREAM, geminiReq([{ role: "user", parts: [{ text: "hi" }] }]));
    expect(((await g.json()) as any).error.status).toBe("RESOURCE_EXHAUSTED");
  });

  test("usageLimit uses each provider's wording and reset fields", async () => {
    const s = start(Scenarios.usageLimit({ retryAfterMs: 5 }));
    const a = await post(s, "/v1/messages", msg);
    expect(a.status).toBe(429);
    expect(a.headers.get("anthropic-ratelimit-unified-status")).toBe("rejected");
    expect(a.headers.get("retry-after-ms")).toBe("5");
    expect(((await a.json()) as any).error.message).toContain("You've hit your limit · resets");
    const o = (await (await post(s, "/v1/responses", responsesReq([]))).json()) as any;
    expect(o.error).toMatchObject({ type: "usage_limit_reached", plan_type: "plus", resets_in_seconds: 3600 });
    const g = (await (await post(s, GEMINI_STREAM, geminiReq([]))).json()) as any;
    expect(g.error.details[0].violations[0].quotaId).toBe("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
  });

  test("auth401 and overloaded statuses per wire", async () => {
    const s = start(Scenarios.auth401());
    expect((await post(s, "/v1/messages", msg)).status).toBe(401);
    expect((await post(s, "/v1/chat/completions", chatReq([]))).status).toBe(401);
    expect((await post(s, GEMINI_STREAM, geminiReq([]))).status).toBe(400);
    s.setScenario(Scenarios.overloaded());
    expect((await post(s, "/v1/messages", msg)).status).toBe(529);
    expect((await post(s, "/v1/responses", responsesReq([]))).status).toBe(503);
    expect((await post(s, GEMINI_STREAM, geminiReq([]))).status).toBe(503);
  });

  test("hang sends no status line; the request is still logged", async () => {
    const s = start(Scenarios.hang());
    const ctrl = new AbortController();
    const pending = post(s, "/v1/messages", msg, { signal: ctrl.signal }).then(() => "answered", () => "aborted");
    await s.waitForRequest((r) => r.protocol === "anthropic", 2000);
    const raced = await Promise.race([pending, Bun.sleep(300).then(() => "silent")]);
    expect(raced).toBe("silent");
    ctrl.abort();
    expect(await pending).toBe("aborted");
  });

  test("stallAfterHeaders sends 200 + the first event, then nothing", async () => {
    const s = start(Scenarios.stallAfterHeaders());
    const ctrl = new AbortController();
    const res = await post(s, "/v1/messages", msg, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("message_start");
    const next = await Promise.race([reader.read().then(() => "data"), Bun.sleep(300).then(() => "silent")]);
    expect(next).toBe("silent");
    ctrl.abort();
  });

  test("malformed breaks inside a JSON string; cut drops the final blank line", async () => {
    const s = start(Scenarios.malformed());
    const body = await (await post(s, "/v1/chat/completions", chatReq([]))).text();
    expect(body).toContain('"content":"trunc\n\n');
    s.setScenario(Scenarios.malformed({ cut: true }));
    const cut = await (await post(s, "/v1/chat/completions", chatReq([]))).text();
    expect(cut.endsWith('"content":"trunc')).toBe(true);
  });
});

describe("logging and side endpoints", () => {
  test("every request is logged with path, headers and parsed body; side calls are not model calls", async () => {
    const s = start();
    await fetch(`${s.url}/`, { method: "HEAD" });
    const models = (await (await fetch(`${s.url}/v1/models`)).json()) as any;
    expect(models.data.map((m: any) => m.id)).toContain("mock-model");
    await post(s, "/v1/messages?beta=true", msg(), { headers: { "content-type": "application/json", "x-api-key": "k" } });
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["HEAD /", "GET /v1/models", "POST /v1/messages"]);
    const [model] = s.modelRequests();
    expect(model).toMatchObject({ protocol: "anthropic", scenario: "text", reply: "text", query: { beta: "true" } });
    expect(model!.headers["x-api-key"]).toBe("k");
    expect(model!.body.messages[0].content).toBe("hi");
  });

  test("setScenario changes the next reply", async () => {
    const s = start();
    s.setScenario(Scenarios.auth401());
    expect((await post(s, "/v1/messages", msg())).status).toBe(401);
  });

  function msg() {
    return anthropicReq([{ role: "user", content: "hi" }]);
  }
});
