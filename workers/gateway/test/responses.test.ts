import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, firstRecord } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

/** `POST /api/v1/responses`: OpenAI's Responses API, stateless, in front of the chat pipeline. */
let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("responses");
});

const post = (json: unknown) => call("/api/v1/responses", { method: "POST", json, key: tenant.key });
const tools = [{ type: "function", name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } }];

/** A Responses SSE body as its events (data objects), checking event names, types and sequence numbers. */
function events(text: string): any[] {
  const list = text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      const data = JSON.parse(dataLine!.replace(/^data: /, ""));
      expect(data.type).toBe(eventLine!.replace(/^event: /, ""));
      return data;
    });
  expect(list.map((e) => e.sequence_number)).toEqual(list.map((_, i) => i));
  return list;
}

const generation = (id: string | null) => firstRecord<any>(tenant.accountId, "SELECT status, provider, cost_nanos FROM generations WHERE id = ?", id);

describe.each([
  ["an OpenAI-format model", "mock/echo"],
  ["an Anthropic-format model", "mock/claude-echo"],
])("POST /responses on %s", (_name, model) => {
  it("a string input answers a Response with a message item and usage; billed like chat", async () => {
    const res = await post({ model, input: "hello there", instructions: "be brief", provider: { sort: "price" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ object: "response", status: "completed", model, store: false, instructions: "be brief", error: null });
    expect(body.id).toBe(`resp_${res.headers.get("x-generation-id")}`);
    expect(body.output).toEqual([{ type: "message", id: expect.any(String), status: "completed", role: "assistant", content: [{ type: "output_text", text: "Echo: hello there", annotations: [], logprobs: [] }] }]);
    expect(body.usage).toMatchObject({ output_tokens: 3, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } });
    expect(body.usage.total_tokens).toBe(body.usage.input_tokens + 3);
    expect((await generation(res.headers.get("x-generation-id"))).cost_nanos).toBeGreaterThan(0);
  });

  it("function tools: a function_call item, then its function_call_output answered", async () => {
    const first = (await (await post({ model, input: [{ role: "user", content: "read a.txt" }], tools, provider: { sort: "price" } })).json()) as any;
    const call = first.output.find((i: any) => i.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", name: "read_file", status: "completed" });
    expect(JSON.parse(call.arguments)).toEqual({ path: "mock" });
    const second = (await (
      await post({
        model,
        tools,
        provider: { sort: "price" },
        input: [{ role: "user", content: [{ type: "input_text", text: "read a.txt" }] }, ...first.output, { type: "function_call_output", call_id: call.call_id, output: "file body" }],
      })
    ).json()) as any;
    expect(second.output.at(-1).content[0].text).toBe("Tool result: file body");
  });

  it("streams the Responses events in order and ends with response.completed carrying the output and usage", async () => {
    const res = await post({ model, input: "read a.txt", tools, stream: true, provider: { sort: "price" } });
    const list = events(await res.text());
    expect(list.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      ...list.filter((e) => e.type === "response.function_call_arguments.delta").map(() => "response.function_call_arguments.delta"),
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const done = list.at(-1).response;
    expect(done.status).toBe("completed");
    expect(JSON.parse(done.output[0].arguments)).toEqual({ path: "mock" });
    expect(done.usage.output_tokens).toBeGreaterThan(0);
  });
});

describe("POST /responses: text streaming, reasoning, statelessness and tolerance", () => {
  it("a text stream: message item, content part, output_text deltas and their done events", async () => {
    const list = events(await (await post({ model: "mock/echo", input: "stream me", stream: true, provider: { sort: "price" } })).text());
    const types = list.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]);
    expect(types.slice(-4)).toEqual(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]);
    expect(list.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta).join("")).toBe("Echo: stream me");
  });

  it("reasoning.effort reaches the model: an Anthropic model's signed thinking comes back as a reasoning item, and sent back it keeps the tool loop valid", async () => {
    const first = (await (await post({ model: "mock/claude-echo", input: "read a.txt", tools, reasoning: { effort: "low" }, max_output_tokens: 4096 })).json()) as any;
    const reasoning = first.output[0];
    expect(reasoning.type).toBe("reasoning");
    expect(reasoning.summary[0].text).toContain("read a.txt");
    expect(reasoning.encrypted_content).toMatch(/^sy1\./);
    const call = first.output[1];
    const next = (items: unknown[]) =>
      post({ model: "mock/claude-echo", tools, reasoning: { effort: "low" }, max_output_tokens: 4096, input: [{ role: "user", content: "read a.txt" }, ...items, { type: "function_call_output", call_id: call.call_id, output: "body" }] });
    const ok = await next(first.output);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).output[0].type).toBe("reasoning");
    // Without the reasoning item Anthropic would refuse thinking on this turn (a tool loop's last
    // assistant turn must start with its signed thinking): the turn is served without thinking.
    const resumed = await next([call]);
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as any).output.map((i: any) => i.type)).not.toContain("reasoning");
  });

  it("reasoning streams as reasoning_summary_text deltas before the answer", async () => {
    const list = events(await (await post({ model: "mock/claude-echo", input: "think", reasoning: { effort: "low" }, max_output_tokens: 4096, stream: true })).text());
    const types = list.map((e) => e.type);
    expect(types.indexOf("response.reasoning_summary_text.delta")).toBeGreaterThan(0);
    expect(types.indexOf("response.output_text.delta")).toBeGreaterThan(types.lastIndexOf("response.reasoning_summary_text.delta"));
    const final = list.at(-1).response;
    expect(final.output.map((i: any) => i.type)).toEqual(["reasoning", "message"]);
  });

  it("previous_response_id → 400 in OpenAI's shape saying to send the whole conversation", async () => {
    const res = await post({ model: "mock/echo", input: "hi", previous_response_id: "resp_123" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: "previous_response_id" });
    expect(body.error.message).toContain("whole conversation");
  });

  it("store: true is answered as store: false, and the answer says so", async () => {
    const res = await post({ model: "mock/echo", input: "hi", store: true });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).store).toBe(false);
    expect(res.headers.get("x-switchyard-store")).toContain("false");
  });

  it("hosted tools, unknown items and fields never fail a request; they are dropped and named", async () => {
    const res = await post({
      model: "mock/echo",
      input: [{ type: "message", role: "user", content: "hi" }, { type: "web_search_call", id: "ws_1", status: "completed" }],
      tools: [...tools, { type: "web_search" }, { type: "local_shell" }],
      tool_choice: "auto",
      include: ["reasoning.encrypted_content"],
      prompt_cache_key: "abc",
      text: { verbosity: "low" },
      client_metadata: { session: "s1" },
      provider: { sort: "price" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-dropped")).toBe("item:web_search_call, tool:web_search, tool:local_shell, field:client_metadata");
  });

  it("text.format json_schema answers JSON matching the schema", async () => {
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
    const body = (await (await post({ model: "mock/echo", input: "json please", text: { format: { type: "json_schema", name: "out", schema } }, provider: { sort: "price" } })).json()) as any;
    expect(Object.keys(JSON.parse(body.output[0].content[0].text))).toEqual(["answer"]);
  });

  it.each([
    ["input missing", { model: "mock/echo" }, "input"],
    ["a message item without content", { model: "mock/echo", input: [{ type: "message", role: "user" }] }, "input.0.content"],
    ["a function tool without a name", { model: "mock/echo", input: "hi", tools: [{ type: "function", parameters: {} }] }, "tools.0.name"],
    ["max_output_tokens a string", { model: "mock/echo", input: "hi", max_output_tokens: "many" }, "max_output_tokens"],
  ])("%s → 400 in OpenAI's shape naming the field", async (_name, body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = ((await res.json()) as any).error;
    expect(error.type).toBe("invalid_request_error");
    expect(error.message).toContain(field);
    expect(error.param).toBe(field);
  });

  it("no key → 401 in OpenAI's shape; every endpoint failing → the chat route's status", async () => {
    const anonymous = await call("/api/v1/responses", { method: "POST", json: { model: "mock/echo", input: "hi" } });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).error.type).toBe("authentication_error");
    const failing = await post({ model: "mock/claude-echo", input: "fail [mock:status=500]", stream: true });
    expect(failing.status).toBe(502);
    expect(((await failing.json()) as any).error.type).toBe("server_error");
  });

  it("a stream cut after its first content ends with response.failed and is not charged", async () => {
    const res = await post({ model: "mock/claude-echo", input: "cut me [mock:cut=2]", stream: true });
    const list = events(await res.text());
    expect(list.at(-1)).toMatchObject({ type: "response.failed", response: { status: "failed" } });
    expect((await generation(res.headers.get("x-generation-id"))).cost_nanos).toBe(0);
  });
});
