import { afterEach, describe, expect, it } from "vitest";
import { nextReset, windowStart } from "../src/accounts/windows.ts";
import { resetClockForTests, setNowForTests } from "../src/lib/clock.ts";
import { call, chat, json } from "./setup/call.ts";
import { seedKey, seedTenant } from "./setup/seed.ts";

afterEach(resetClockForTests);

const at = (iso: string) => Date.parse(iso);
const spend = (key: string) => chat(key, "spend", { max_tokens: 10 });

/** Sends requests until refused; returns the refusal's status. */
async function exhaust(key: string): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const res = await spend(key);
    if (res.status !== 200) return res.status;
  }
  throw new Error("never refused");
}

describe("UTC windows", () => {
  it("daily from midnight, weekly from Monday midnight, monthly from the 1st", () => {
    const wednesday = at("2031-01-15T13:45:00Z");
    expect(windowStart("daily", wednesday)).toBe(at("2031-01-15T00:00:00Z"));
    expect(windowStart("weekly", wednesday)).toBe(at("2031-01-13T00:00:00Z"));
    expect(windowStart("weekly", at("2031-01-19T23:59:59Z"))).toBe(at("2031-01-13T00:00:00Z")); // Sunday ends the week
    expect(windowStart("weekly", at("2031-01-20T00:00:00Z"))).toBe(at("2031-01-20T00:00:00Z")); // Monday starts one
    expect(windowStart("monthly", wednesday)).toBe(at("2031-01-01T00:00:00Z"));
    expect(windowStart("none", wednesday)).toBe(0);
    expect(nextReset("monthly", at("2031-12-31T23:00:00Z"))).toBe(at("2032-01-01T00:00:00Z"));
    expect(nextReset("daily", at("2032-02-28T10:00:00Z"))).toBe(at("2032-02-29T00:00:00Z"));
    expect(nextReset("none", wednesday)).toBeNull();
  });
});

describe("key credit limits reset with their period", () => {
  it.each([
    ["daily", "2031-01-15T23:59:00Z", "2031-01-15T23:59:59Z", "2031-01-16T00:00:00Z"],
    ["weekly", "2031-01-17T09:00:00Z", "2031-01-19T23:59:59Z", "2031-01-20T00:00:00Z"],
    ["monthly", "2031-01-02T09:00:00Z", "2031-01-31T23:59:59Z", "2031-02-01T00:00:00Z"],
  ] as const)("%s: refused (403) until the window ends, allowed again at its start", async (reset, spentAt, lastMoment, nextWindow) => {
    const t = await seedTenant(`limit-${reset}`, 10_000_000_000, { limitNanos: 150_000, limitReset: reset });
    setNowForTests(at(spentAt));
    expect(await exhaust(t.key)).toBe(403);
    const key = await json(await call("/api/v1/key", { key: t.key }));
    expect(key.data.limit_reset).toBe(reset);
    expect(key.data.limit_remaining).toBeLessThan(key.data.limit);

    setNowForTests(at(lastMoment));
    expect((await spend(t.key)).status).toBe(403);
    setNowForTests(at(nextWindow));
    expect((await json(await call("/api/v1/key", { key: t.key }))).data.limit_remaining).toBe(0.00015);
    expect((await spend(t.key)).status).toBe(200);
  });

  it("a limit without a reset period never resets", async () => {
    const t = await seedTenant("limit-none", 10_000_000_000, { limitNanos: 150_000, limitReset: "none" });
    setNowForTests(at("2031-01-15T12:00:00Z"));
    expect(await exhaust(t.key)).toBe(403);
    setNowForTests(at("2032-06-01T12:00:00Z"));
    expect((await spend(t.key)).status).toBe(403);
  });

  it("a limit is the key's own: another key of the workspace keeps working", async () => {
    const t = await seedTenant("limit-own", 10_000_000_000, { limitNanos: 150_000, limitReset: "daily" });
    const other = await seedKey(t.workspaceId, "limit-own-other");
    expect(await exhaust(t.key)).toBe(403);
    expect((await spend(other.key)).status).toBe(200);
  });
});

describe("workspace monthly budget", () => {
  it("is shared by the workspace's keys and resets on the 1st (UTC)", async () => {
    const t = await seedTenant("budget-reset", 10_000_000_000, { monthlyBudgetNanos: 200_000 });
    const second = await seedKey(t.workspaceId, "budget-reset-2");
    setNowForTests(at("2031-03-10T08:00:00Z"));
    expect(await exhaust(t.key)).toBe(403);
    expect((await spend(second.key)).status).toBe(403);
    setNowForTests(at("2031-03-31T23:59:59Z"));
    expect((await spend(second.key)).status).toBe(403);
    setNowForTests(at("2031-04-01T00:00:00Z"));
    expect((await spend(second.key)).status).toBe(200);
    expect((await spend(t.key)).status).toBe(200);
  });
});
