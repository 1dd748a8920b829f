import { GatewayError } from "@switchyard/schemas";
import type { Env } from "../../env.ts";
import { now } from "../../lib/clock.ts";
import { Coalescer } from "../../lib/coalesce.ts";
import { randomId } from "../../lib/ids.ts";
import type { AuthContext } from "../auth.ts";
import type { EndedRequest } from "./account-spend.ts";
import { type Lease, LEASE_IDLE_MS, LEASE_REQUESTS, LeaseBook } from "./lease-book.ts";
import { type LeaseAsk, type ReserveRequest, type ReserveResult, type Settlement, settledCostNanos } from "./types.ts";

/**
 * This isolate's round trips to each account's spend object, one at a time: reserves
 * (and settlements) made meanwhile go together in the next one. A reserve whose wait
 * runs out is answered 503; if its batch was already on its way, its hold lapses after
 * RESERVATION_TTL_MS.
 */
const reserves = new Coalescer<ReserveRequest, ReserveResult>(64, 20_000);
/** This isolate's spend leases (lease-book.ts), and the requests reserved under one, by reservation id. */
const leases = new LeaseBook();
const leased = new Map<string, { lease: Lease; boundNanos: number }>();
/** Leases to end with the next reserve round trip of their account (nothing runs under them). */
const ending = new Map<string, Set<Lease>>();
/**
 * Account → reservation id → cost of requests that ended here, until a reserve round trip
 * carries them or their settlement is acknowledged: their holds drop from their bound to their
 * cost before that reserve is decided, without waiting for their settlements (SETTLE_AFTER_MS).
 */
const endedCosts = new Map<string, Map<string, number>>();
/** How long a settlement round trip waits after the first settlement of an idle account (below). */
const SETTLE_AFTER_MS = 10;
/**
 * Settlements: the round trip of an account with none in flight goes SETTLE_AFTER_MS after its
 * first settlement (later ones wait for the one in flight anyway), so that a client sending its
 * next request the moment an answer arrives (an agent's tool loop, a script) has that request on
 * its way upstream before this round trip and its D1 write compete with it for the CPU. Settled
 * at once, they added ≈ 1.6 ms to the next request's first token (bench/results/README.md).
 */
const settlements = new Coalescer<Settlement, null>(200, 20_000, SETTLE_AFTER_MS);

/**
 * Resolves once this isolate's settlements of the account still on their way are written (or
 * after READ_AFTER_SETTLE_MAX_MS): a client that reads its usage, credits or a generation right
 * after an answer sees that answer, as it did before settlement waited SETTLE_AFTER_MS.
 */
export function settlementsWritten(accountId: string): Promise<void> {
  return settlements.drain(accountId, READ_AFTER_SETTLE_MAX_MS);
}
const READ_AFTER_SETTLE_MAX_MS = 2_000;

/**
 * Has the account's spend object write its roll-ups of every settled request to D1 now
 * (settled-first.ts). If D1 refuses, the read goes on: it then lacks what is still held
 * in the object (which keeps counting it against limits, and retries the write).
 */
export async function rolledUp(env: Env, accountId: string): Promise<void> {
  try {
    await spendFor(env, accountId).rollUp();
  } catch (error) {
    console.error("roll-up before a read failed", error instanceof Error ? error.message : "");
  }
}

/** The account's spend Durable Object: one per account, wherever its requests come from. */
export function spendFor(env: Env, accountId: string) {
  let id = objectIds.get(accountId);
  if (!id) {
    if (objectIds.size >= 10_000) objectIds.clear();
    id = env.ACCOUNT_SPEND.idFromName(accountId);
    objectIds.set(accountId, id);
  }
  return env.ACCOUNT_SPEND.get(id);
}

/** idFromName hashes the name every call: ids are kept per isolate (a stub may not be, it belongs to its request). */
const objectIds = new Map<string, DurableObjectId>();

/**
 * Holds the most this request can cost against the account's credits, the key's
 * limit and the workspace's budget, or throws 402/403. Under a spend lease with
 * room: no round trip at all. Otherwise one Durable Object round trip (which also
 * asks for a lease), no D1 round trip in the common case.
 */
export async function reserveSpend(env: Env, auth: AuthContext, reservationId: string, amountNanos: bigint, at = now()): Promise<void> {
  const request: ReserveRequest = {
    accountId: auth.accountId,
    reservationId,
    amountNanos: toSafeNumber(amountNanos),
    keyId: auth.keyId,
    keyLimitNanos: auth.limitNanos,
    keyLimitReset: auth.limitReset,
    workspaceId: auth.workspaceId,
    workspaceBudgetNanos: auth.monthlyBudgetNanos,
    now: at,
    scope: leaseScope(auth),
  };
  if (takeLease(request)) return;
  let result: ReserveResult;
  try {
    result = await reserves.run(auth.accountId, request, (batch) => reserveBatch(env, auth.accountId, batch));
  } catch (error) {
    // Without a reserve nothing goes upstream: a retryable 503, never a 500 and never unguarded spend.
    console.error("spend reserve failed", error instanceof Error ? error.message : "");
    throw new GatewayError(503, "Could not check this account's credits just now; retry shortly.");
  }
  if (!result.ok) throw new GatewayError(result.status, result.message, result.metadata);
}

/** One round trip for a batch of reserves: those a lease granted meanwhile has room for are answered here; the rest ask for a lease per scope. */
async function reserveBatch(env: Env, accountId: string, batch: ReserveRequest[]): Promise<ReserveResult[]> {
  const results: (ReserveResult | undefined)[] = batch.map((r) => (takeLease(r) ? { ok: true } : undefined));
  const toSend = batch.filter((_, i) => !results[i]);
  if (toSend.length === 0) return results as ReserveResult[];
  const asks = new Map<string, LeaseAsk>();
  for (const r of toSend) {
    const ask = asks.get(r.scope!) ?? { id: randomId("lease"), scope: r.scope!, amountNanos: 0 };
    ask.amountNanos = Math.max(ask.amountNanos, r.amountNanos * LEASE_REQUESTS);
    asks.set(r.scope!, ask);
  }
  const done = [...(ending.get(accountId) ?? [])];
  ending.delete(accountId);
  const ended: EndedRequest[] = [...(endedCosts.get(accountId) ?? [])].map(([reservationId, costNanos]) => ({ reservationId, costNanos }));
  endedCosts.delete(accountId);
  // (cast: the RPC stub's mapped type loses the union's refusal branch)
  const answers = (await spendFor(env, accountId).reserveMany(toSend, [...asks.values()], done.map((l) => l.id), ended)) as ReserveResult[];
  const at = now();
  for (const ask of asks.values()) {
    const covered = toSend.filter((_, i) => {
      const answer = answers[i]!;
      return answer.ok && answer.leaseId === ask.id;
    });
    if (covered.length === 0) continue;
    const promised = covered.reduce((sum, r) => sum + r.amountNanos, 0);
    const lease = leases.install({ ...ask, accountId }, promised, covered.length, at);
    for (const r of covered) leased.set(r.reservationId, { lease, boundNanos: r.amountNanos });
  }
  let next = 0;
  return results.map((r) => r ?? answers[next++]!);
}

function takeLease(request: ReserveRequest): boolean {
  const lease = leases.take(request.scope!, request.amountNanos, request.now);
  if (lease) leased.set(request.reservationId, { lease, boundNanos: request.amountNanos });
  return lease !== null;
}

/** What a lease covers: the account, the key and workspace, and their limits as this request saw them (a changed limit starts a new lease). */
function leaseScope(auth: AuthContext): string {
  return `${auth.accountId}|${auth.keyId}|${auth.limitNanos}|${auth.limitReset}|${auth.workspaceId}|${auth.monthlyBudgetNanos}`;
}

const SETTLE_ATTEMPTS = 3;

/**
 * Hands a finished request to the spend object; resolves once the object has
 * stored its record (D1 gets it later, rolled up). Retried on a
 * failed round trip: settling is idempotent. A request under a lease gives back
 * the part of its bound it did not spend; the lease ends once nothing under it
 * is left unacknowledged.
 */
export async function settleSpend(env: Env, settlement: Settlement): Promise<void> {
  const underLease = leased.get(settlement.reservationId);
  if (underLease) {
    leased.delete(settlement.reservationId);
    // a BYOK fee is only known when written: keep the whole bound promised
    const cost = settlement.byok ? underLease.boundNanos : settledCostNanos(settlement);
    leases.requestEnded(underLease.lease, underLease.boundNanos, cost);
  } else {
    answerEnded(settlement);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await settlements.run(settlement.accountId, settlement, async (batch) => {
        await spendFor(env, settlement.accountId).settleMany(batch);
        return batch.map(() => null);
      });
      forgetEnded(settlement); // acknowledged: held at its charge now
      break;
    } catch (error) {
      if (attempt === SETTLE_ATTEMPTS) {
        console.error("settlement not delivered", settlement.reservationId, error instanceof Error ? error.message : "");
        throw error; // (its lease stays open: the spend object keeps holding it until it lapses)
      }
      await new Promise((ok) => setTimeout(ok, 100 * attempt));
    }
  }
  if (underLease) await afterAcknowledged(env, underLease.lease);
}

/**
 * A request's answer is handed over and this is its settlement: the isolate's next reserve
 * round trip of the account lowers its hold to its cost, even one sent before the settlement
 * itself goes (SETTLE_AFTER_MS later). Call it as the answer ends; settleSpend calls it too.
 */
export function answerEnded(settlement: Settlement): void {
  // under a lease it holds nothing of its own; a BYOK fee is only known when written
  if (leased.has(settlement.reservationId) || settlement.byok) return;
  const waiting = endedCosts.get(settlement.accountId) ?? new Map<string, number>();
  if (waiting.size >= MAX_ENDED_WAITING) return; // (their settlements lower their holds anyway)
  waiting.set(settlement.reservationId, settledCostNanos(settlement));
  endedCosts.set(settlement.accountId, waiting);
}

function forgetEnded(settlement: Settlement): void {
  const waiting = endedCosts.get(settlement.accountId);
  if (waiting?.delete(settlement.reservationId) && waiting.size === 0) endedCosts.delete(settlement.accountId);
}
/** At most this many ended requests of an account wait for its next reserve round trip. */
const MAX_ENDED_WAITING = 1_000;

/**
 * A lease nothing is left under ends: at once if it is retired, else once no
 * request has taken it for LEASE_IDLE_MS. One request at a time watches a lease
 * for that (its waitUntil, never in front of a response; at most about
 * LEASE_USABLE_MS, after which the lease is retired): one timer per lease, not
 * one per request ending under it, which at one request at a time kept every
 * request's context alive for LEASE_IDLE_MS after its answer.
 */
async function afterAcknowledged(env: Env, lease: Lease): Promise<void> {
  if (leases.acknowledged(lease, now())) return endLease(env, lease);
  if (lease.open > 0 || watched.has(lease)) return;
  watched.add(lease);
  try {
    for (;;) {
      const takes = lease.takes;
      await new Promise((ok) => setTimeout(ok, LEASE_IDLE_MS));
      // running requests under it: the last of them to end watches it again
      if (lease.ended || lease.open > 0) return;
      if (lease.takes === takes) return await endLease(env, lease);
    }
  } finally {
    watched.delete(lease);
  }
}

/** Leases a request is watching for idleness (afterAcknowledged). */
const watched = new WeakSet<Lease>();

async function endLease(env: Env, lease: Lease): Promise<void> {
  leases.end(lease);
  try {
    await spendFor(env, lease.accountId).endLeases([lease.id]);
  } catch {
    // the next reserve round trip of this account carries it; failing that, it lapses (RESERVATION_TTL_MS)
    const waiting = ending.get(lease.accountId) ?? new Set<Lease>();
    waiting.add(lease);
    ending.set(lease.accountId, waiting);
  }
}

function toSafeNumber(nanos: bigint): number {
  // 2^53 nano-dollars is $9M: no single request's bound comes near; refuse rather than round.
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) throw new GatewayError(402, "This request could cost more than any account can hold; lower max_tokens.");
  return Number(nanos);
}
