import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./gateway-process.ts";

/**
 * Accounts end to end under wrangler dev (workerd, local D1, the AccountSpend
 * Durable Object): the provisioning API makes a key, the unmodified openai
 * client uses it, its limit and its revocation are enforced, its stats are readable.
 */
let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway?.stop();
});

const api = async (path: string, key: string, init: { method?: string; json?: unknown } = {}) => {
  const res = await fetch(`${gateway.url}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${key}`, ...(init.json !== undefined ? { "content-type": "application/json" } : {}) },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
};

describe("a key's life through the provisioning API and the openai client", () => {
  it("create → refused by its limit → limit lifted → used → stats → deleted", async () => {
    const created = await api("/keys", gateway.managementKey, { method: "POST", json: { name: "e2e", limit: 0 } });
    expect(created.status).toBe(201);
    const client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: created.body.key, maxRetries: 0 });
    const ask = () => client.chat.completions.create({ model: "mock/echo", messages: [{ role: "user", content: "hi" }], max_tokens: 10 });

    await expect(ask()).rejects.toMatchObject({ status: 403 }); // a $0 limit
    expect((await api(`/keys/${created.body.data.hash}`, gateway.managementKey, { method: "PATCH", json: { limit: null } })).status).toBe(200);
    const completion = await ask();
    expect(completion.choices[0]!.message.content).toBe("Echo: hi");

    const stats = await api(`/generation?id=${completion.id}`, created.body.key);
    expect(stats.body.data).toMatchObject({ id: completion.id, model: "mock/echo", total_cost: (completion.usage as any).cost });
    const key = await api("/key", created.body.key);
    expect(key.body.data.usage).toBe((completion.usage as any).cost);
    const credits = await api("/credits", gateway.apiKey);
    expect(credits.body.data.total_credits).toBe(10);

    expect((await api(`/keys/${created.body.data.hash}`, gateway.managementKey, { method: "DELETE" })).body).toEqual({ deleted: true });
    // revoked within the key cache TTL (10 s) in every isolate; at once in the one that deleted it
    const deadline = Date.now() + 11_000;
    let status = 0;
    while (Date.now() < deadline && status !== 401) {
      status = await ask().then(() => 200, (e: any) => e.status);
      if (status !== 401) await new Promise((ok) => setTimeout(ok, 250));
    }
    expect(status).toBe(401);
  });
});
