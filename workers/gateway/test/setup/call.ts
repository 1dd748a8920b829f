import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index.ts";

/**
 * Calls the gateway in-process with a real execution context, then waits for
 * everything it deferred with waitUntil (settlement), so tests see the D1 state.
 * `env` overrides bindings for this call (e.g. a D1 that counts its queries).
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

/**
 * A chat completion on mock/echo, pinned to its cheapest endpoint (the US one, $1/M prompt,
 * $2/M completion tokens) so that tests see one provider, not the planner's weighted draw.
 */
export function chat(key: string, content = "hello", extra: Record<string, unknown> = {}): Promise<Response> {
  return call("/api/v1/chat/completions", {
    method: "POST",
    key,
    json: { model: "mock/echo", messages: [{ role: "user", content }], provider: { sort: "price" }, ...extra },
  });
}

/** The body of a JSON response, untyped (tests assert on its shape). */
export async function json(res: Response): Promise<any> {
  return res.json();
}

/** A D1 binding that counts the queries made through it. */
export function countingD1(db: D1Database): { db: D1Database; queries: () => number } {
  let n = 0;
  const counted = new Set(["prepare", "batch", "exec"]);
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (counted.has(String(prop))) n++;
        return value.apply(target, args);
      };
    },
  });
  return { db: proxy, queries: () => n };
}

/**
 * Has the account's spend object write its roll-ups to D1 now (as a read of usage through the
 * API does), so that D1 holds every request settled so far.
 */
export async function rolledUp(accountId: string): Promise<void> {
  await env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(accountId)).rollUp();
}

/** The account's per-request records, straight from its spend object's SQLite (they are no longer in D1). */
export async function records<T = Record<string, unknown>>(accountId: string, query: string, ...binds: unknown[]): Promise<T[]> {
  const stub = env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(accountId));
  return runInDurableObject(stub, (_, state) => state.storage.sql.exec(query, ...binds).toArray() as T[]);
}

/** The first of `records(...)`, or null (D1's `.first()`). */
export async function firstRecord<T = Record<string, unknown>>(accountId: string, query: string, ...binds: unknown[]): Promise<T | null> {
  return (await records<T>(accountId, query, ...binds))[0] ?? null;
}

export async function balanceOf(accountId: string): Promise<number> {
  await rolledUp(accountId);
  const row = await env.DB.prepare("SELECT balance_nanos AS b FROM account_balances WHERE account_id = ?").bind(accountId).first<{ b: number }>();
  return row?.b ?? 0;
}

export async function ledgerSum(accountId: string): Promise<number> {
  await rolledUp(accountId);
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
