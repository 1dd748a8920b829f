import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import Stripe from "stripe";
import { inject } from "vitest";
import worker from "../../src/index.ts";
import { reconcile } from "../../src/ledger/reconcile.ts";

export const fakeStripeUrl = () => inject("fakeStripeUrl");

/** The worker's env, pointed at the fake Stripe API. */
export const billingEnv = () => ({ ...env, STRIPE_API_BASE: fakeStripeUrl() });

/** Calls the billing worker in-process with a real execution context. */
export async function call(path: string, init: RequestInit & { json?: unknown; env?: Record<string, string> } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`http://billing.test${path}`, { ...init, headers, body }), { ...billingEnv(), ...init.env }, ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return new Response(text, { status: response.status, headers: response.headers });
}

export interface Buyer {
  accountId: string;
  workspaceId: string;
  userId: string;
  cookie: string;
  csrf: string;
}

/** An account + workspace with a signed-in dashboard user of the given role. */
export async function seedBuyer(name: string, role: "owner" | "admin" | "member" = "owner"): Promise<Buyer> {
  const accountId = `acct_${name}`;
  const workspaceId = `ws_${name}`;
  const userId = `user_${name}`;
  const cookie = `cookie-${name}-${crypto.randomUUID()}`;
  const csrf = `csrf-${crypto.randomUUID()}`;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO accounts (id, name) VALUES (?, ?)").bind(accountId, name),
    env.DB.prepare("INSERT INTO workspaces (id, account_id, name) VALUES (?, ?, ?)").bind(workspaceId, accountId, name),
    env.DB.prepare("INSERT INTO users (id, email, password_hash) VALUES (?, ?, 'x')").bind(userId, `${name}@example.test`),
    env.DB.prepare("INSERT INTO members (workspace_id, user_id, role) VALUES (?, ?, ?)").bind(workspaceId, userId, role),
    env.DB.prepare("INSERT INTO sessions (id, user_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)").bind(
      await sha256Hex(cookie), userId, csrf, Date.now() + 3_600_000,
    ),
  ]);
  return { accountId, workspaceId, userId, cookie, csrf };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Delivers a Stripe event to the webhook, signed like Stripe signs it. */
export async function deliver(event: object, secret = env.STRIPE_WEBHOOK_SECRET): Promise<Response> {
  const payload = JSON.stringify(event);
  // generateTestHeaderString needs a synchronous HMAC; workerd only has SubtleCrypto, so the async twin.
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider: Stripe.createSubtleCryptoProvider() });
  return call("/billing/webhook", { method: "POST", body: payload, headers: { "stripe-signature": signature, "content-type": "application/json" } });
}

export async function balanceOf(accountId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT balance_nanos AS b FROM account_balances WHERE account_id = ?").bind(accountId).first<{ b: number }>();
  return row?.b ?? 0;
}

export async function ledgerOf(accountId: string) {
  const { results } = await env.DB.prepare("SELECT kind, amount_nanos, idempotency_key FROM ledger_entries WHERE account_id = ? ORDER BY id")
    .bind(accountId)
    .all<{ kind: string; amount_nanos: number; idempotency_key: string }>();
  return results;
}

/** The account's balance equals its ledger sum (reconcile's own check, per account so one failure stays local). */
export async function expectReconciled(accountId: string): Promise<void> {
  const differences = (await reconcile(env.DB)).differences.filter((d) => d.account_id === accountId);
  if (differences.length) throw new Error(`ledger does not reconcile: ${JSON.stringify(differences)}`);
}
