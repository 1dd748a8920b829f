import { describe, expect, it } from "vitest";
import { call, json } from "./setup/call.ts";
import { seedTenant } from "./setup/seed.ts";

/** The data events of an SSE body, parsed (the [DONE] marker left out). */
const events = (text: string) =>
  text
    .split("\n\n")
    .filter((e) => e.startsWith("data: ") && e !== "data: [DONE]")
    .map((e) => JSON.parse(e.slice(6)));

const ask = (key: string, content: string, stream: boolean, env: Record<string, string> = {}) =>
  call("/api/v1/chat/completions", {
    method: "POST",
    key,
    json: { model: "mock/echo", messages: [{ role: "user", content }], stream, provider: { sort: "price" } },
    env,
  });

describe("reasoning models (DeepSeek's reasoning_content)", () => {
  it("a stream carries the reasoning as delta.reasoning before the answer", async () => {
    const { key } = await seedTenant("reasoning-stream");
    const res = await ask(key, "think first [mock:reasoning=3]", true);
    expect(res.status).toBe(200);
    const deltas = events(await res.text()).flatMap((e) => e.choices.map((c: any) => c.delta));
    const reasoning = deltas.filter((d) => d.reasoning).map((d) => d.reasoning);
    expect(reasoning).toEqual(["Step 1. ", "Step 2. ", "Step 3. "]);
    const firstContent = deltas.findIndex((d) => d.content);
    expect(firstContent).toBeGreaterThan(deltas.findIndex((d) => d.reasoning === "Step 3. "));
    expect(deltas.map((d) => d.content ?? "").join("")).toBe("Echo: think first");
  });

  it("thinking for longer than the first-byte timeout is not a timeout: the reasoning is the first answer", async () => {
    const { key } = await seedTenant("reasoning-long");
    // 8 reasoning pieces 60 ms apart: the answer's first content comes ≈ 500 ms in, past a 200 ms first-byte timeout
    const res = await ask(key, "think long [mock:reasoning=8,chunk_delay=60]", true, { FIRST_BYTE_TIMEOUT_MS: "200" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-attempts")).toBe("mock mock/echo 200");
    const body = events(await res.text());
    expect(body.flatMap((e) => e.choices.map((c: any) => c.delta.content ?? "")).join("")).toBe("Echo: think long");
    expect(body.at(-1).usage.cost).toBeGreaterThan(0); // complete, and charged as such
  });

  it("a non-streamed answer carries message.reasoning", async () => {
    const { key } = await seedTenant("reasoning-plain");
    const body = await json(await ask(key, "think plainly [mock:reasoning=2]", false));
    expect(body.choices[0].message).toMatchObject({ role: "assistant", content: "Echo: think plainly", reasoning: "Step 1. Step 2. " });
  });

  it("an answer without reasoning has no reasoning field", async () => {
    const { key } = await seedTenant("reasoning-none");
    const body = await json(await ask(key, "no thinking", false));
    expect(body.choices[0].message).not.toHaveProperty("reasoning");
  });
});
