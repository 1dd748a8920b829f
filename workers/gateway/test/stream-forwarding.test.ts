import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import { balanceOf, firstRecord } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";

let tenant: SeededTenant;
beforeAll(async () => {
  tenant = await seedTenant("forwarding");
});

/** Starts a streamed request and hands back the live response, not its buffered text. */
function startStream(content: string) {
  const ctx = createExecutionContext();
  const request = new Request("http://gateway.test/api/v1/chat/completions", {
    method: "POST",
    headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "mock/echo", stream: true, messages: [{ role: "user", content }] }),
  });
  return { ctx, response: worker.fetch(request, env, ctx) };
}

describe("streamed answers are forwarded, not buffered", () => {
  it("the first chunk reaches the client while the provider is still sending the rest", async () => {
    // 6 chunks, 80 ms apart: the provider needs at least 400 ms for the whole answer.
    const started = Date.now();
    const { ctx, response } = startStream("forward me as you go [mock:chunks=6,chunk_delay=80]");
    const reader = (await response).body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - started;
    expect(new TextDecoder().decode(first.value)).toContain('"object":"chat.completion.chunk"');
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    const lastAt = Date.now() - started;
    expect(text).toContain("data: [DONE]");
    expect(lastAt).toBeGreaterThanOrEqual(400);
    expect(firstAt).toBeLessThan(lastAt - 300);
    await waitOnExecutionContext(ctx);
  });

  it("a provider that holds its body open after [DONE]: the client has the whole answer at once, the request is settled, and the provider is cut within a second", async () => {
    const started = Date.now();
    const { ctx, response } = startStream("done but not closed [mock:end_delay=5000]");
    const res = await response;
    const text = await res.text();
    expect(text).toContain("data: [DONE]");
    expect(Date.now() - started).toBeLessThan(1_000); // not held for the provider's 5 s
    await waitOnExecutionContext(ctx); // the settlement, and the read of what the provider still sends
    expect(Date.now() - started).toBeLessThan(3_000);
    const gen = await firstRecord<{ status: string }>(tenant.accountId, "SELECT status FROM generations WHERE id = ?", res.headers.get("x-generation-id"));
    expect(gen?.status).toBe("success");
  });

  it("a client that goes away mid-stream stops the provider read and pays for what it was sent, no more", async () => {
    const before = await balanceOf(tenant.accountId);
    const { ctx, response } = startStream("a long answer nobody waits for [mock:chunks=20,chunk_delay=50]");
    const res = await response;
    const id = res.headers.get("x-generation-id");
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await waitOnExecutionContext(ctx);
    const gen = await firstRecord<{ status: string; cost_nanos: number }>(tenant.accountId, "SELECT status, cost_nanos FROM generations WHERE id = ?", id);
    expect(gen?.status).toBe("cancelled");
    expect(gen!.cost_nanos).toBeGreaterThan(0); // the prompt and the first words were generated: the provider bills them
    expect(await balanceOf(tenant.accountId)).toBe(before - gen!.cost_nanos);
  });
});
