import { MAX_KEY_LIMIT_USD } from "@switchyard/keys";
import { describe, expect, it } from "vitest";
import { call, json } from "./setup/call.ts";
import { seedKey, seedTenant } from "./setup/seed.ts";

/**
 * A key's limit: one bound for the provisioning API and the dashboard
 * (@switchyard/keys), and reads that show whatever a row holds — the dashboard
 * once stored limits up to $999,999,999.99, past a safe integer of nano-dollars,
 * and `GET /api/v1/key` / `GET /api/v1/keys` answered 500 for as long as such a key existed.
 */
describe("key limits", () => {
  it(`the provisioning API takes limits up to $${MAX_KEY_LIMIT_USD} and refuses more with a 400 naming limit`, async () => {
    const t = await seedTenant("limit-bound");
    const mgmt = await seedKey(t.workspaceId, "limit-bound", { kind: "management" });
    const ok = await call("/api/v1/keys", { method: "POST", key: mgmt.key, json: { name: "at the bound", limit: MAX_KEY_LIMIT_USD } });
    expect(ok.status).toBe(201);
    expect((await json(ok)).data.limit).toBe(MAX_KEY_LIMIT_USD);
    for (const limit of [MAX_KEY_LIMIT_USD + 0.01, 10_000_000, 999_999_999.99, 1e300]) {
      const res = await call("/api/v1/keys", { method: "POST", key: mgmt.key, json: { name: "over", limit } });
      expect(res.status, String(limit)).toBe(400);
      expect((await json(res)).error.message).toBe("Invalid request: limit: A credit limit is at most $1,000,000.");
    }
  });

  it.each([
    ["$10,000,000 (the issue's key)", 10_000_000 * 1e9, 10_000_000],
    ["$999,999,999.99 (the old form's most)", 999_999_999_99 * 1e7, 999_999_999.99],
  ])("a stored limit of %s: GET /api/v1/key and GET /api/v1/keys show it as it is, never a 500", async (_, limitNanos, usd) => {
    const t = await seedTenant(`limit-stored-${Math.round(usd)}`, 10_000_000_000, { limitNanos });
    const mgmt = await seedKey(t.workspaceId, `limit-stored-${Math.round(usd)}`, { kind: "management" });
    const own = await call("/api/v1/key", { key: t.key });
    expect(own.status).toBe(200);
    expect((await json(own)).data).toMatchObject({ limit: usd, limit_remaining: usd });
    const list = await call("/api/v1/keys", { key: mgmt.key });
    expect(list.status).toBe(200);
    expect((await json(list)).data).toEqual([expect.objectContaining({ limit: usd, limit_remaining: usd })]);
  });
});
