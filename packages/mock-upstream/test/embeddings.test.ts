import { describe, expect, it } from "vitest";
import { handleMockUpstream } from "../src/index.ts";
import { BASE, json } from "./helpers.ts";

const embed = (body: unknown, headers: Record<string, string> = {}) =>
  handleMockUpstream(new Request(`${BASE}/embeddings`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }));

function decodeBase64Float32(b64: string): number[] {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

describe("embeddings", () => {
  it("returns one deterministic unit vector per input, in OpenAI's list shape, with usage", async () => {
    const body = await json(await embed({ model: "embed", input: ["hello world", "something else"] }));
    expect(body).toMatchObject({ object: "list", model: "embed", usage: { prompt_tokens: 3 + 4, total_tokens: 7 } });
    expect(body.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    const [a, b] = body.data.map((d: { embedding: number[] }) => d.embedding);
    expect(a).toHaveLength(16);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(a).not.toEqual(b);
    const again = await json(await embed({ model: "embed", input: "hello world" }));
    expect(again.data[0].embedding).toEqual(a);
  });

  it("base64 encodes the same vector as little-endian float32; dimensions sets the length", async () => {
    const floats = await json(await embed({ model: "embed", input: "hi", dimensions: 8 }));
    const b64 = await json(await embed({ model: "embed", input: "hi", dimensions: 8, encoding_format: "base64" }));
    expect(typeof b64.data[0].embedding).toBe("string");
    expect(decodeBase64Float32(b64.data[0].embedding)).toEqual(floats.data[0].embedding);
  });

  it("counts token-array inputs by length", async () => {
    expect((await json(await embed({ model: "embed", input: [[1, 2, 3], [4]] }))).usage.prompt_tokens).toBe(4);
  });

  it("400 for missing or empty input, bad dimensions; directives and bad keys work as for chat", async () => {
    expect((await embed({ model: "embed" })).status).toBe(400);
    expect((await embed({ model: "embed", input: [] })).status).toBe(400);
    expect((await embed({ model: "embed", input: "x", dimensions: 0 })).status).toBe(400);
    const limited = await embed({ model: "embed", input: "x [mock:status=429,retry_after=2]" });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "2"]);
    expect((await embed({ model: "embed", input: "x" }, { authorization: "Bearer bad-key" })).status).toBe(401);
  });
});
