import { beforeAll, describe, expect, it } from "vitest";
import { call, sseData } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

/** Chat completions with cache_control and the reasoning field, served by an Anthropic-format endpoint (issue 21, sections 3 and 4). */
let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("chat-cache-reasoning");
});

const post = (json: unknown) => call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json });
const system = { role: "system", content: [{ type: "text", text: "Long shared instructions. ".repeat(20), cache_control: { type: "ephemeral" } }] };
const tools = [{ type: "function", function: { name: "read_file", parameters: { type: "object", properties: { path: { type: "string" } } } } }];

describe("chat completions on an Anthropic-format model", () => {
  it("cache_control reaches the provider: usage.prompt_tokens_details shows the write, then the hit", async () => {
    const ask = (text: string) => post({ model: "mock/claude-echo", messages: [system, { role: "user", content: text }] });
    const first = (await (await ask("one")).json()) as any;
    expect(first.usage.prompt_tokens_details.cache_write_tokens).toBeGreaterThan(0);
    const second = (await (await ask("two")).json()) as any;
    expect(second.usage.prompt_tokens_details.cached_tokens).toBe(first.usage.prompt_tokens_details.cache_write_tokens);
    expect(second.usage.cost).toBeLessThan(first.usage.cost);
  });

  it("the reasoning field turns thinking on: message.reasoning and signed reasoning_details, which sent back keep the tool loop valid", async () => {
    const first = (await (await post({ model: "mock/claude-echo", max_tokens: 4096, reasoning: { effort: "low" }, tools, messages: [{ role: "user", content: "read a.txt" }] })).json()) as any;
    const message = first.choices[0].message;
    expect(message.reasoning).toContain("read a.txt");
    expect(message.reasoning_details).toEqual([{ type: "reasoning.text", text: message.reasoning, signature: expect.stringMatching(/^sig_mock_/), format: "anthropic-claude-v1", index: 0 }]);
    // thinking is billed as completion: the mock counts its words on top of the tool arguments' 4 tokens
    expect(first.usage.completion_tokens).toBe(4 + message.reasoning.split(/\s+/).length);
    const next = (assistant: unknown) =>
      post({ model: "mock/claude-echo", max_tokens: 4096, reasoning: { effort: "low" }, tools, messages: [{ role: "user", content: "read a.txt" }, assistant, { role: "tool", tool_call_id: message.tool_calls[0].id, content: "body" }] });
    expect((await next(message)).status).toBe(200);
    // edited thinking fails Anthropic's signature check: its 400
    expect((await next({ ...message, reasoning_details: [{ ...message.reasoning_details[0], text: "edited" }] })).status).toBe(400);
    // no thinking block at all (another provider answered that turn, or reasoning was excluded):
    // Anthropic would refuse thinking here, so this turn is served without it
    const { reasoning_details: _dropped, ...withoutDetails } = message;
    const resumed = await next(withoutDetails);
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as any).choices[0].message.reasoning).toBeUndefined();
  });

  it("reasoning.exclude: the model reasons (billed as completion tokens) but no reasoning comes back, streamed or not", async () => {
    const ask = (stream: boolean) => post({ model: "mock/claude-echo", max_tokens: 4096, reasoning: { max_tokens: 1024, exclude: true }, stream, messages: [{ role: "user", content: "think quietly" }] });
    const plain = (await (await ask(false)).json()) as any;
    expect(plain.choices[0].message.content).toBe("Echo: think quietly");
    expect(plain.choices[0].message).not.toHaveProperty("reasoning");
    expect(plain.choices[0].message).not.toHaveProperty("reasoning_details");
    expect(plain.usage.completion_tokens).toBeGreaterThan(3); // the thinking's words are counted
    const chunks = sseData(await (await ask(true)).text()).filter((d) => d !== "[DONE]").map((d) => JSON.parse(d));
    const deltas = chunks.flatMap((c) => c.choices.map((ch: any) => ch.delta));
    expect(deltas.some((d) => "reasoning" in d || "reasoning_details" in d)).toBe(false);
    expect(deltas.map((d) => d.content ?? "").join("")).toBe("Echo: think quietly");
    expect(chunks.at(-1).usage.completion_tokens).toBe(plain.usage.completion_tokens);
  });

  it("a stream carries delta.reasoning and the signature in delta.reasoning_details before the content", async () => {
    const res = await post({ model: "mock/claude-echo", max_tokens: 4096, reasoning: { max_tokens: 1024 }, stream: true, messages: [{ role: "user", content: "think" }] });
    const deltas = sseData(await res.text()).filter((d) => d !== "[DONE]").flatMap((d) => JSON.parse(d).choices.map((c: any) => c.delta));
    const signature = deltas.findIndex((d) => d.reasoning_details?.some((r: any) => r.signature));
    expect(deltas.findIndex((d) => d.reasoning)).toBeLessThan(signature);
    expect(deltas.findIndex((d) => d.content)).toBeGreaterThan(signature);
  });
});

describe("reasoning on a Gemini-format model", () => {
  it("reasoning asks for thought summaries: they come back as message.reasoning, streamed as delta.reasoning before the content", async () => {
    const plain = (await (await post({ model: "mock/gemini-echo", reasoning: { effort: "low" }, messages: [{ role: "user", content: "ponder" }] })).json()) as any;
    expect(plain.choices[0].message).toMatchObject({ content: "Echo: ponder", reasoning: expect.stringContaining("ponder") });
    const res = await post({ model: "mock/gemini-echo", reasoning: { effort: "low" }, stream: true, messages: [{ role: "user", content: "ponder" }] });
    const deltas = sseData(await res.text()).filter((d) => d !== "[DONE]").flatMap((d) => JSON.parse(d).choices.map((c: any) => c.delta));
    expect(deltas.findIndex((d) => d.reasoning)).toBeLessThan(deltas.findIndex((d) => d.content));
    const excluded = (await (await post({ model: "mock/gemini-echo", reasoning: { effort: "low", exclude: true }, messages: [{ role: "user", content: "ponder" }] })).json()) as any;
    expect(excluded.choices[0].message).not.toHaveProperty("reasoning");
  });

  it("through /messages the thought summary is an (unsigned) thinking block", async () => {
    const res = await call("/api/v1/messages", { method: "POST", key: tenant.key, json: { model: "mock/gemini-echo", max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "ponder" }] } });
    const body = (await res.json()) as any;
    expect(body.content.map((b: any) => b.type)).toEqual(["thinking", "text"]);
    expect(body.content[0].signature).toBe("");
  });
});
