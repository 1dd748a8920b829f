import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index.ts";

/**
 * Calls the gateway in-process with a real execution context, then waits for
 * everything it deferred with waitUntil (settlement), so tests see the D1 state.
 */
export async function call(path: string, init: RequestInit & { json?: unknown; key?: string; env?: Partial<Cloudflare.Env> } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`http://gateway.test${path}`, { ...init, headers, body }), { ...env, ...init.env }, ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return new Response(text, { status: response.status, headers: response.headers });
}

export async function balanceOf(accountId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT balance_nanos AS b FROM account_balances WHERE account_id = ?").bind(accountId).first<{ b: number }>();
  return row?.b ?? 0;
}

export async function ledgerSum(accountId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COALESCE(SUM(amount_nanos), 0) AS s FROM ledger_entries WHERE account_id = ?").bind(accountId).first<{ s: number }>();
  return row?.s ?? 0;
}

/** Parses an SSE body into its data payloads. */
export function sseData(text: string): string[] {
  return text
    .split("\n\n")
    .map((e) => e.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n"))
    .filter(Boolean);
}
