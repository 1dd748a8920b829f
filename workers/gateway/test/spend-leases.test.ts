import { describe, expect, it } from "vitest";
import { LEASE_HEADROOM } from "../src/accounts/spend/account-spend.ts";
import { LEASE_IDLE_MS, LEASE_USABLE_MS, LeaseBook } from "../src/accounts/spend/lease-book.ts";
import type { ReserveRequest } from "../src/accounts/spend/types.ts";
import { balanceOf, chat } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { reserveOf as reserveFor, spendObjectOf } from "./setup/spend.ts";

const T0 = 1_800_000_000_000;
const grant = (amountNanos: number, scope = "s") => ({ id: `lease-${scope}-${amountNanos}`, scope, accountId: "acct", amountNanos });

describe("one isolate's lease book", () => {
  it("never promises more than the lease: a request that ended gives back only what it did not spend", () => {
    const book = new LeaseBook();
    const lease = book.install(grant(1_000), 0, 0, T0);
    expect(book.take("s", 400, T0)).toBe(lease);
    expect(book.take("s", 400, T0)).toBe(lease);
    expect(book.take("s", 400, T0)).toBeNull(); // 1,200 > 1,000
    book.requestEnded(lease, 400, 100); // cost 100 of its 400: 300 free again, the 100 stays promised
    expect(book.take("s", 400, T0)).toBe(lease); // 900
    expect(book.take("s", 101, T0)).toBeNull();
    expect(book.take("s", 100, T0)).toBe(lease); // exactly 1,000

    // requests that cost their whole bound use the lease up for good, however many end
    const full = book.install(grant(1_000, "t"), 0, 0, T0);
    let served = 0;
    while (book.take("t", 100, T0)) {
      book.requestEnded(full, 100, 100);
      served++;
    }
    expect(served).toBe(10);
    expect(full.promisedNanos).toBe(1_000);
  });

  it(`takes new requests for ${LEASE_USABLE_MS} ms after it was granted, no longer`, () => {
    const book = new LeaseBook();
    const lease = book.install(grant(1_000), 0, 0, T0);
    expect(book.take("s", 1, T0 + LEASE_USABLE_MS - 1)).toBe(lease);
    expect(book.take("s", 1, T0 + LEASE_USABLE_MS)).toBeNull();
    expect(lease.retired).toBe(true);
  });

  it("ends once it takes no new requests and every request under it is acknowledged; a new lease retires the old", () => {
    const book = new LeaseBook();
    const old = book.install(grant(1_000), 100, 1, T0); // one request already under it
    book.take("s", 100, T0);
    const fresh = book.install(grant(2_000), 0, 0, T0 + 10);
    expect(book.take("s", 100, T0 + 10)).toBe(fresh);
    expect(book.acknowledged(old, T0 + 20)).toBe(false); // one still open
    expect(book.acknowledged(old, T0 + 30)).toBe(true);
    book.end(old);
    expect(book.isDone(old)).toBe(false); // ended once, not twice
    expect(book.acknowledged(fresh, T0 + 40)).toBe(false); // still current: usable for new requests
  });
});

describe("the spend object's leases", () => {
  const stubOf = spendObjectOf;
  // every reserve below is of scope "s": the scope a lease ask names
  const reserveOf = (t: SeededTenant, id: string, amountNanos: number, fields: Partial<ReserveRequest> = {}) => reserveFor(t, id, amountNanos, { scope: "s", ...fields });
  const A = 1_000_000;

  it(`grants a lease only while every limit it counts against has ${LEASE_HEADROOM}× its amount left; otherwise decides the request as before`, async () => {
    const enough = await seedTenant("lease-enough", LEASE_HEADROOM * A);
    expect(await stubOf(enough).reserveMany([reserveOf(enough, "r1", 10)], [{ id: "lease-1", scope: "s", amountNanos: A }])).toEqual([{ ok: true, leaseId: "lease-1" }]);

    const short = await seedTenant("lease-short", LEASE_HEADROOM * A - 1);
    expect(await stubOf(short).reserveMany([reserveOf(short, "r1", 10)], [{ id: "lease-1", scope: "s", amountNanos: A }])).toEqual([{ ok: true }]);

    const keyLimited = await seedTenant("lease-key-limit", 1_000 * A, { limitNanos: LEASE_HEADROOM * A - 1, limitReset: "monthly" });
    const limits = { keyLimitNanos: LEASE_HEADROOM * A - 1, keyLimitReset: "monthly" as const };
    expect(await stubOf(keyLimited).reserveMany([reserveOf(keyLimited, "r1", 10, limits)], [{ id: "lease-1", scope: "s", amountNanos: A }])).toEqual([{ ok: true }]);

    const budgeted = await seedTenant("lease-budget", 1_000 * A, { monthlyBudgetNanos: LEASE_HEADROOM * A - 1 });
    const budget = { workspaceBudgetNanos: LEASE_HEADROOM * A - 1 };
    expect(await stubOf(budgeted).reserveMany([reserveOf(budgeted, "r1", 10, budget)], [{ id: "lease-1", scope: "s", amountNanos: A }])).toEqual([{ ok: true }]);
  });

  it("covers the requests it has room for, which hold nothing of their own; the rest are reserved one by one", async () => {
    const t = await seedTenant("lease-room", LEASE_HEADROOM * A);
    const results = await stubOf(t).reserveMany(
      [reserveOf(t, "r1", A / 2), reserveOf(t, "r2", A / 2), reserveOf(t, "r3", A / 2)],
      [{ id: "lease-1", scope: "s", amountNanos: A }],
    );
    expect(results).toEqual([{ ok: true, leaseId: "lease-1" }, { ok: true, leaseId: "lease-1" }, { ok: true }]);
    // held: the lease (A) and r3 (A/2), nothing for r1 and r2
    const left = LEASE_HEADROOM * A - A - A / 2;
    expect(await stubOf(t).reserve(reserveOf(t, "r4", left + 1))).toMatchObject({ ok: false, status: 402 });
    expect(await stubOf(t).reserve(reserveOf(t, "r4", left))).toEqual({ ok: true });
  });

  it("holds the lease's whole amount against the credits until the isolate ends it", async () => {
    const t = await seedTenant("lease-held", LEASE_HEADROOM * A);
    const spend = stubOf(t);
    await spend.reserveMany([reserveOf(t, "r1", 10)], [{ id: "lease-1", scope: "s", amountNanos: A }]);
    const rest = LEASE_HEADROOM * A - A;
    const refused = await spend.reserve(reserveOf(t, "big", rest + 1));
    expect(refused).toMatchObject({ ok: false, status: 402 });
    await spend.endLeases(["lease-1"]);
    expect(await spend.reserve(reserveOf(t, "big", rest + 1))).toEqual({ ok: true });
  });
});

describe("leases through the gateway", () => {
  it("after traffic stops nothing stays held: the whole balance can be reserved once the last lease has ended", async () => {
    const t = await seedTenant("lease-idle");
    // (a small max_tokens keeps the cost bound small enough for a lease out of $10)
    for (let i = 0; i < 5; i++) expect((await chat(t.key, "hello", { max_tokens: 16 })).status).toBe(200);
    // every call above waited for its settlement and its lease's idle end (waitUntil)
    await new Promise((ok) => setTimeout(ok, LEASE_IDLE_MS));
    const balance = await balanceOf(t.accountId);
    expect(balance).toBeLessThan(10_000_000_000); // the five were charged
    expect(await spendObjectOf(t).reserve(reserveFor(t, "whole", balance))).toEqual({ ok: true });
  });

  it("requests that keep taking a lease while one of them watches it for idleness: it still ends once they stop", async () => {
    const t = await seedTenant("lease-busy-idle");
    // one after another, each starting before the previous one's idle wait is over
    const calls = [];
    for (let i = 0; i < 6; i++) {
      calls.push(chat(t.key, "hello", { max_tokens: 16 }));
      await new Promise((ok) => setTimeout(ok, LEASE_IDLE_MS / 3));
    }
    for (const res of await Promise.all(calls)) expect(res.status).toBe(200);
    const balance = await balanceOf(t.accountId);
    expect(balance).toBeLessThan(10_000_000_000);
    expect(await spendObjectOf(t).reserve(reserveFor(t, "whole", balance))).toEqual({ ok: true });
  });
});
