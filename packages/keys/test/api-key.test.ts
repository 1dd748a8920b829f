import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newApiKey, sha256Hex } from "../src/index.ts";

describe("API keys", () => {
  it("are sk-sy-v1- + 64 hex, different every time, stored as their SHA-256 with a short visible prefix", async () => {
    const a = await newApiKey();
    const b = await newApiKey();
    expect(a.key).toMatch(/^sk-sy-v1-[0-9a-f]{64}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(createHash("sha256").update(a.key).digest("hex"));
    expect(a.prefix).toBe(a.key.slice(0, 12));
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
