import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reconcile } from "../src/ledger/reconcile.ts";
import { dispute, event, metaFor, type PurchaseMeta, paidSession, refundedCharge } from "./setup/events.ts";
import { balanceOf, type Buyer, call, deliver, expectReconciled, ledgerOf, seedBuyer } from "./setup/helpers.ts";

const NANOS_PER_CENT = 10_000_000;
const TEN_DOLLARS = 1_000 * NANOS_PER_CENT;

let buyer: Buyer;
let meta: PurchaseMeta; // a $10 purchase: pays $10.80, receives $10.00 of credits
beforeEach(async () => {
  buyer = await seedBuyer(`wh${crypto.randomUUID().slice(0, 8)}`);
  meta = metaFor(buyer.accountId, buyer.workspaceId, 1_000, 80);
});
afterEach(() => expectReconciled(buyer.accountId));

const outcomeOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return ((await res.json()) as { outcome: string }).outcome;
};

describe("POST /billing/webhook: checkout.session.completed", () => {
  it("credits exactly A (not the fee) and marks the purchase paid", async () => {
    const session = paidSession(meta);
    expect(await outcomeOf(await deliver(event("checkout.session.completed", session)))).toBe("credited");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
    expect(await ledgerOf(buyer.accountId)).toEqual([{ kind: "purchase", amount_nanos: TEN_DOLLARS, idempotency_key: `purchase:${session.id}` }]);
    const purchase = await env.DB.prepare("SELECT * FROM purchases WHERE id = ?").bind(meta.purchase_id).first<any>();
    expect(purchase).toMatchObject({ status: "paid", stripe_session_id: session.id, stripe_payment_intent_id: session.payment_intent, amount_nanos: TEN_DOLLARS, fee_nanos: 80 * NANOS_PER_CENT });
  });

  it("credits once when the same event is replayed", async () => {
    const completed = event("checkout.session.completed", paidSession(meta));
    expect(await outcomeOf(await deliver(completed))).toBe("credited");
    expect(await outcomeOf(await deliver(completed))).toBe("already_applied");
    expect(await outcomeOf(await deliver(completed))).toBe("already_applied");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
    expect(await ledgerOf(buyer.accountId)).toHaveLength(1);
  });

  it("credits once when the same event is delivered concurrently", async () => {
    const completed = event("checkout.session.completed", paidSession(meta));
    const outcomes = await Promise.all(Array.from({ length: 5 }, async () => outcomeOf(await deliver(completed))));
    expect(outcomes.filter((o) => o === "credited")).toHaveLength(1);
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
    expect(await ledgerOf(buyer.accountId)).toHaveLength(1);
  });

  it("credits once for two different events about the same session (completed + async_payment_succeeded)", async () => {
    const session = paidSession(meta);
    await deliver(event("checkout.session.completed", session));
    expect(await outcomeOf(await deliver(event("checkout.session.async_payment_succeeded", session)))).toBe("already_applied");
    expect(await outcomeOf(await deliver(event("checkout.session.completed", session)))).toBe("already_applied");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
  });

  it("credits nothing while an asynchronous payment is still unpaid, then credits when it succeeds", async () => {
    const session = paidSession(meta, { payment_status: "unpaid" });
    expect(await outcomeOf(await deliver(event("checkout.session.completed", session)))).toBe("awaiting_payment");
    expect(await balanceOf(buyer.accountId)).toBe(0);
    expect(await outcomeOf(await deliver(event("checkout.session.async_payment_succeeded", { ...session, payment_status: "paid" })))).toBe("credited");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
  });

  it("credits the pending purchase the checkout endpoint recorded", async () => {
    await env.DB.prepare("INSERT INTO purchases (id, account_id, workspace_id, stripe_session_id, amount_nanos, fee_nanos, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')")
      .bind(meta.purchase_id, buyer.accountId, buyer.workspaceId, "cs_test_recorded", TEN_DOLLARS, 80 * NANOS_PER_CENT)
      .run();
    await deliver(event("checkout.session.completed", paidSession(meta, { id: "cs_test_recorded" })));
    const rows = await env.DB.prepare("SELECT status, stripe_session_id FROM purchases WHERE account_id = ?").bind(buyer.accountId).all();
    expect(rows.results).toEqual([{ status: "paid", stripe_session_id: "cs_test_recorded" }]);
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
  });

  it("grants nothing for a session whose amount does not match its purchase, or that is not a switchyard purchase", async () => {
    expect(await outcomeOf(await deliver(event("checkout.session.completed", paidSession(meta, { amount_total: 500 }))))).toBe("amount_mismatch");
    expect(await outcomeOf(await deliver(event("checkout.session.completed", paidSession(meta, { metadata: { order: "x" } }))))).toBe("not_a_purchase");
    expect(await outcomeOf(await deliver(event("customer.created", { id: "cus_1", object: "customer" })))).toBe("ignored");
    expect(await balanceOf(buyer.accountId)).toBe(0);
  });
});

describe("POST /billing/webhook: signatures", () => {
  it("400 and nothing changes for a bad signature, a wrong secret, a tampered body or no signature", async () => {
    const completed = event("checkout.session.completed", paidSession(meta));
    const wrongSecret = await deliver(completed, "whsec_someone_else");
    expect(wrongSecret.status).toBe(400);
    expect(((await wrongSecret.json()) as any).error).toEqual({ code: 400, message: "Invalid Stripe signature" });

    const signedOther = await deliver(event("checkout.session.completed", paidSession(meta, { amount_total: 1 })));
    expect(signedOther.status).toBe(200); // a valid delivery (of a mismatched amount: grants nothing)

    const tampered = await call("/billing/webhook", {
      method: "POST",
      body: JSON.stringify(completed),
      headers: { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` },
    });
    expect(tampered.status).toBe(400);
    const unsigned = await call("/billing/webhook", { method: "POST", body: JSON.stringify(completed) });
    expect(unsigned.status).toBe(400);

    expect(await balanceOf(buyer.accountId)).toBe(0);
    expect(await ledgerOf(buyer.accountId)).toEqual([]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM stripe_events WHERE id = ?").bind(completed.id).first("n")).toBe(0);
    // The real delivery still works afterwards.
    expect(await outcomeOf(await deliver(completed))).toBe("credited");
  });
});

describe("POST /billing/webhook: charge.refunded", () => {
  const pay = async () => {
    const session = paidSession(meta);
    await deliver(event("checkout.session.completed", session));
    return session.payment_intent;
  };

  it("a full refund takes back the credits (A), not more", async () => {
    const pi = await pay();
    expect(await outcomeOf(await deliver(event("charge.refunded", refundedCharge(meta, 1_080, pi))))).toBe("refund_debited");
    expect(await balanceOf(buyer.accountId)).toBe(0);
    const purchase = await env.DB.prepare("SELECT status, refunded_nanos FROM purchases WHERE id = ?").bind(meta.purchase_id).first();
    expect(purchase).toEqual({ status: "refunded", refunded_nanos: TEN_DOLLARS });
  });

  it("partial refunds debit what each adds, replays and stale events debit nothing", async () => {
    const pi = await pay();
    const charge = "ch_test_partial";
    const first = event("charge.refunded", refundedCharge(meta, 300, pi, charge));
    expect(await outcomeOf(await deliver(first))).toBe("refund_debited");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS - 300 * NANOS_PER_CENT);
    expect(await outcomeOf(await deliver(first))).toBe("already_applied");

    const second = event("charge.refunded", refundedCharge(meta, 800, pi, charge));
    expect(await outcomeOf(await deliver(second))).toBe("refund_debited");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS - 800 * NANOS_PER_CENT);
    // An older event (cumulative 300) that arrives late changes nothing.
    expect(await outcomeOf(await deliver(event("charge.refunded", refundedCharge(meta, 300, pi, charge))))).toBe("already_applied");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS - 800 * NANOS_PER_CENT);
    expect(await env.DB.prepare("SELECT status FROM purchases WHERE id = ?").bind(meta.purchase_id).first("status")).toBe("partially_refunded");

    // Refunding the rest, fee included, takes back only the remaining credits.
    expect(await outcomeOf(await deliver(event("charge.refunded", refundedCharge(meta, 1_080, pi, charge))))).toBe("refund_debited");
    expect(await balanceOf(buyer.accountId)).toBe(0);
    expect((await ledgerOf(buyer.accountId)).map((e) => e.amount_nanos)).toEqual([TEN_DOLLARS, -300 * NANOS_PER_CENT, -500 * NANOS_PER_CENT, -200 * NANOS_PER_CENT]);
  });

  it("concurrent refund events end at the largest refund, debited once", async () => {
    const pi = await pay();
    const events = [300, 800, 800, 300, 500].map((cents) => event("charge.refunded", refundedCharge(meta, cents, pi, "ch_test_race")));
    await Promise.all(events.map((e) => deliver(e)));
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS - 800 * NANOS_PER_CENT);
  });

  it("a refund that arrives before the completed event still ends right", async () => {
    const session = paidSession(meta);
    expect(await outcomeOf(await deliver(event("charge.refunded", refundedCharge(meta, 1_080, session.payment_intent))))).toBe("refund_debited");
    expect(await balanceOf(buyer.accountId)).toBe(-TEN_DOLLARS); // owed until the credit lands
    expect(await outcomeOf(await deliver(event("checkout.session.completed", session)))).toBe("credited");
    expect(await balanceOf(buyer.accountId)).toBe(0);
    const purchase = await env.DB.prepare("SELECT status, stripe_session_id, refunded_nanos FROM purchases WHERE id = ?").bind(meta.purchase_id).first();
    expect(purchase).toEqual({ status: "refunded", stripe_session_id: session.id, refunded_nanos: TEN_DOLLARS });
  });

  it("a partial refund before the completed event, then the rest after it", async () => {
    const session = paidSession(meta);
    await deliver(event("charge.refunded", refundedCharge(meta, 400, session.payment_intent, "ch_test_ooo")));
    await deliver(event("checkout.session.completed", session));
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS - 400 * NANOS_PER_CENT);
    await deliver(event("charge.refunded", refundedCharge(meta, 1_000, session.payment_intent, "ch_test_ooo")));
    expect(await balanceOf(buyer.accountId)).toBe(0);
  });
});

describe("POST /billing/webhook: disputes (chargebacks)", () => {
  const pay = async () => {
    const session = paidSession(meta);
    await deliver(event("checkout.session.completed", session));
    return session.payment_intent;
  };
  const purchase = () => env.DB.prepare("SELECT status, refunded_nanos, disputed_nanos FROM purchases WHERE id = ?").bind(meta.purchase_id).first();
  it("withdrawn funds take back the disputed credits (not the fee), once; the purchase shows as disputed", async () => {
    const pi = await pay();
    const disputed = dispute(pi, 1_080); // the whole charge, fee included
    const withdrawn = event("charge.dispute.funds_withdrawn", disputed);
    expect(await outcomeOf(await deliver(withdrawn))).toBe("dispute_debited");
    expect(await balanceOf(buyer.accountId)).toBe(0);
    expect(await purchase()).toEqual({ status: "disputed", refunded_nanos: 0, disputed_nanos: TEN_DOLLARS });
    // the same event again, or another event about the same withdrawal, takes nothing more
    expect(await outcomeOf(await deliver(withdrawn))).toBe("already_applied");
    expect(await outcomeOf(await deliver(event("charge.dispute.funds_withdrawn", disputed)))).toBe("already_applied");
    expect(await balanceOf(buyer.accountId)).toBe(0);
    expect((await ledgerOf(buyer.accountId)).map((e) => e.amount_nanos)).toEqual([TEN_DOLLARS, -TEN_DOLLARS]);
  });

  it("a won dispute gives back exactly what was taken, once, and the purchase is paid again", async () => {
    const pi = await pay();
    const disputed = dispute(pi, 600);
    await deliver(event("charge.dispute.funds_withdrawn", disputed));
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS - 600 * NANOS_PER_CENT);
    const reinstated = event("charge.dispute.funds_reinstated", disputed);
    expect(await outcomeOf(await deliver(reinstated))).toBe("dispute_reinstated");
    expect(await outcomeOf(await deliver(reinstated))).toBe("already_applied");
    expect(await outcomeOf(await deliver(event("charge.dispute.funds_reinstated", disputed)))).toBe("already_applied");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
    expect(await purchase()).toEqual({ status: "paid", refunded_nanos: 0, disputed_nanos: 0 });
  });

  it("the same withdrawal delivered concurrently, with its reinstatement raced in, ends right", async () => {
    const pi = await pay();
    const disputed = dispute(pi, 500);
    await Promise.all([1, 2, 3].map(() => deliver(event("charge.dispute.funds_withdrawn", disputed))));
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS - 500 * NANOS_PER_CENT);
    await Promise.all([1, 2, 3].map(() => deliver(event("charge.dispute.funds_reinstated", disputed))));
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
    expect((await ledgerOf(buyer.accountId)).map((e) => e.amount_nanos)).toEqual([TEN_DOLLARS, -500 * NANOS_PER_CENT, 500 * NANOS_PER_CENT]);
  });

  it("a dispute after a partial refund takes only the credits not refunded", async () => {
    const pi = await pay();
    await deliver(event("charge.refunded", refundedCharge(meta, 300, pi)));
    // Stripe disputes what is left of the charge: $10.80 − $3.00
    expect(await outcomeOf(await deliver(event("charge.dispute.funds_withdrawn", dispute(pi, 780))))).toBe("dispute_debited");
    expect(await balanceOf(buyer.accountId)).toBe(0);
    expect(await purchase()).toEqual({ status: "disputed", refunded_nanos: 300 * NANOS_PER_CENT, disputed_nanos: 700 * NANOS_PER_CENT });
    // a second dispute of the same charge finds nothing left to take
    expect(await outcomeOf(await deliver(event("charge.dispute.funds_withdrawn", dispute(pi, 100))))).toBe("nothing_to_debit");
    expect(await balanceOf(buyer.accountId)).toBe(0);
  });

  it("a reinstatement delivered before its withdrawal: the late withdrawal takes nothing", async () => {
    const pi = await pay();
    const disputed = dispute(pi, 1_080);
    expect(await outcomeOf(await deliver(event("charge.dispute.funds_reinstated", disputed)))).toBe("nothing_to_reinstate");
    expect(await outcomeOf(await deliver(event("charge.dispute.funds_withdrawn", disputed)))).toBe("already_applied");
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
    expect(await purchase()).toEqual({ status: "paid", refunded_nanos: 0, disputed_nanos: 0 });
  });

  it("a dispute of a payment that is not a switchyard purchase changes nothing", async () => {
    await pay();
    for (const type of ["charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated"]) {
      expect(await outcomeOf(await deliver(event(type, dispute("pi_test_someone_else", 1_080))))).toBe("not_a_purchase");
      expect(await outcomeOf(await deliver(event(type, { ...dispute("pi_x", 1_080), payment_intent: null })))).toBe("not_a_purchase");
    }
    expect(await balanceOf(buyer.accountId)).toBe(TEN_DOLLARS);
  });
});

describe("reconcile", () => {
  it("reports an account whose balance drifted from its ledger", async () => {
    await deliver(event("checkout.session.completed", paidSession(meta)));
    expect((await reconcile(env.DB)).differences).toEqual([]);
    await env.DB.prepare("UPDATE account_balances SET balance_nanos = balance_nanos + 1 WHERE account_id = ?").bind(buyer.accountId).run();
    const report = await reconcile(env.DB);
    expect(report.differences).toEqual([{ account_id: buyer.accountId, balance_nanos: TEN_DOLLARS + 1, ledger_nanos: TEN_DOLLARS, difference_nanos: 1 }]);
    expect(report.accounts).toBeGreaterThan(0);
    await env.DB.prepare("UPDATE account_balances SET balance_nanos = balance_nanos - 1 WHERE account_id = ?").bind(buyer.accountId).run();
  });

  it("reports a ledger entry whose balance move is missing", async () => {
    await env.DB.prepare("INSERT INTO ledger_entries (account_id, kind, amount_nanos, idempotency_key) VALUES (?, 'adjustment', 5, ?)").bind(buyer.accountId, `manual:${buyer.accountId}`).run();
    const report = await reconcile(env.DB);
    expect(report.differences).toContainEqual({ account_id: buyer.accountId, balance_nanos: 0, ledger_nanos: 5, difference_nanos: -5 });
    await env.DB.prepare("INSERT INTO account_balances (account_id, balance_nanos) VALUES (?, 5)").bind(buyer.accountId).run();
  });
});
