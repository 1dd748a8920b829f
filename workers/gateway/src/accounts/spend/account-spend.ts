import { formatUsd } from "@switchyard/catalog";
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env.ts";
import { nextReset, windowStart } from "../windows.ts";
import { readBalance, readSpend, SPEND_KINDS, writeSettlements } from "./ledger-sql.ts";
import { type LeaseAsk, type ReserveRequest, type ReserveResult, type Settlement, settledCostNanos } from "./types.ts";

/** The balance snapshot is re-read from D1 when older than this: a refund or chargeback written by billing is seen within it. */
export const BALANCE_TTL_MS = 5_000;
/** Before refusing for lack of credits, the balance is re-read unless it is younger than this: a purchase unblocks an account within it. */
export const REFUSAL_RECHECK_MS = 1_000;
/** A reservation never settled (its worker died) stops holding funds after this. */
export const RESERVATION_TTL_MS = 15 * 60_000;
/** Settlements that could not be written to D1 are retried after this. */
const RETRY_MS = 10_000;
/** Reservations changed within this interval reach this object's SQLite in one commit. */
export const FLUSH_INTERVAL_MS = 20;
/**
 * Settlements reach D1 in group commits: at most one write per this interval, or
 * sooner once a full group (SETTLEMENTS_PER_BATCH) waits. A settlement after a quiet
 * spell is written at once. The wait is after the response, never in front of it;
 * a client reading its usage right after an answer waits for the write (settled-first.ts).
 * Local D1 spends several ms of CPU on a write whatever its size: at 20 ms a
 * steady stream of requests spent a third of its CPU on them (bench/results/README.md).
 */
export const D1_WRITE_INTERVAL_MS = 200;
/** A lease is granted only while every limit it counts against has this many times its amount left (lease-book.ts). */
export const LEASE_HEADROOM = 20;
/** Settlements per D1 write; this many waiting are written without waiting out D1_WRITE_INTERVAL_MS. */
export const SETTLEMENTS_PER_BATCH = 200;

interface Reservation {
  amount: number;
  keyId: string;
  workspaceId: string;
  /** null once the request has ended: the hold is then its real cost, until written to D1. */
  expiresAt: number | null;
}

/**
 * The per-account serialising point for spend. Every reserve is decided here, one
 * at a time — a single request's, or a lease an isolate then spends from in memory
 * (lease-book.ts), held like one big reservation — against: the account's balance (a D1 snapshot at most BALANCE_TTL_MS
 * old) minus every outstanding reservation; the key's limit in its current window;
 * the workspace's monthly budget. Settlement passes through here too, so that the
 * debit and the release of the reservation are one step.
 *
 * D1 stays the ledger of record: another worker (billing) may write credits or
 * refunds straight into D1, which this object picks up within BALANCE_TTL_MS.
 *
 * Memory first, storage in groups: a reserve is decided and answered from memory;
 * reservations reach this object's SQLite within FLUSH_INTERVAL_MS, many per
 * commit (a commit per request cost more CPU than the rest of the request). A
 * settlement is acknowledged once it is in D1; until then the worker holds it
 * and retries, and one D1 refuses is kept in the `outbox` table and retried on
 * an alarm, its cost held meanwhile. A restart therefore forgets at most the
 * reservations of the last FLUSH_INTERVAL_MS, never a settlement.
 *
 * Every D1 access goes through one queue (`serial`), so a read never interleaves
 * with a write: the in-memory balance and spend counters are exact, not guesses.
 * The decision itself (check + record) is synchronous, so no two reserves can
 * both spend the same credit.
 */
export class AccountSpend extends DurableObject<Env> {
  private readonly reservations = new Map<string, Reservation>();
  private balance: { nanos: number; readAt: number; readSeq: number } | null = null;
  /** Spend per key window or workspace month: scope → { window start, spent nanos }. */
  private readonly spend = new Map<string, { since: number; spent: number }>();
  /** Counts reserve calls, so a balance read can tell which calls it is fresh for. */
  private arrivals = 0;
  private d1Queue: Promise<unknown> = Promise.resolve();
  /** Settlements not yet written to D1, by reservation id. */
  private readonly pending = new Map<string, Settlement>();
  /** Pending settlements D1 refused: in the `outbox` table, retried by the alarm only (not slowing every write after them). */
  private readonly refused = new Set<string>();
  /** Reservation ids whose stored row is out of date (to write, or to delete). */
  private readonly unsaved = new Set<string>();
  /** The next D1 write, once one is scheduled; every settlement waiting for it resolves with it. */
  private nextFlush: Promise<void> | null = null;
  /** Ends the wait for the next D1 write early (a full group is waiting). */
  private flushNow: (() => void) | null = null;
  private lastFlushAt = 0;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS reservations (
      id TEXT PRIMARY KEY, amount INTEGER NOT NULL, key_id TEXT NOT NULL, workspace_id TEXT NOT NULL, expires_at INTEGER)`);
    sql.exec("CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
    for (const r of sql.exec<{ id: string; amount: number; key_id: string; workspace_id: string; expires_at: number | null }>("SELECT * FROM reservations")) {
      this.reservations.set(r.id, { amount: r.amount, keyId: r.key_id, workspaceId: r.workspace_id, expiresAt: r.expires_at });
    }
    for (const { body } of sql.exec<{ body: string }>("SELECT body FROM outbox")) {
      const settlement = JSON.parse(body) as Settlement;
      this.pending.set(settlement.reservationId, settlement);
      this.refused.add(settlement.reservationId);
      this.reservations.set(settlement.reservationId, heldFor(settlement, this.reservations.get(settlement.reservationId)));
    }
    if (this.refused.size > 0) void ctx.blockConcurrencyWhile(() => ctx.storage.setAlarm(Date.now()));
  }

  /** Holds `amountNanos` for one request, or says why not (402 credits, 403 key limit or workspace budget). */
  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    return (await this.hold(req, 1)) ?? { ok: true };
  }

  /**
   * Decides `req` and records its hold if granted; null = granted. `headroom` > 1
   * (a lease) also asks that every limit keep `headroom` times the amount left.
   */
  private async hold(req: ReserveRequest, headroom: number): Promise<Exclude<ReserveResult, { ok: true }> | null> {
    const arrival = ++this.arrivals;
    this.dropExpired(req.now);
    if (!this.balance || !isFresh(this.balance.readAt, req.now, BALANCE_TTL_MS)) await this.refreshBalance(req, arrival);
    const keyScope = `key:${req.keyId}:${req.keyLimitReset}`;
    const workspaceScope = `workspace:${req.workspaceId}`;
    if (req.keyLimitNanos !== null) await this.loadSpend(keyScope, windowStart(req.keyLimitReset, req.now), { keyId: req.keyId });
    if (req.workspaceBudgetNanos !== null) await this.loadSpend(workspaceScope, windowStart("monthly", req.now), { workspaceId: req.workspaceId });

    let verdict = this.decide(req, keyScope, workspaceScope, headroom);
    if (headroom === 1 && verdict?.status === 402 && this.balance!.readSeq < arrival && !isFresh(this.balance!.readAt, req.now, REFUSAL_RECHECK_MS)) {
      // Credits may have been bought since the snapshot: look again before refusing.
      await this.refreshBalance(req, arrival);
      verdict = this.decide(req, keyScope, workspaceScope, headroom);
    }
    if (verdict) return verdict;
    this.setReservation(req.reservationId, { amount: req.amountNanos, keyId: req.keyId, workspaceId: req.workspaceId, expiresAt: req.now + RESERVATION_TTL_MS });
    return null;
  }

  /**
   * Records a finished request: its generation row and ledger entries go to D1 in
   * the next batch (at most D1_WRITE_INTERVAL_MS away), and its reservation is
   * released in the same step; resolves once written (or kept for retry in this
   * object's storage, if D1 refused it). Idempotent (the ledger's idempotency keys).
   */
  async settle(settlement: Settlement): Promise<void> {
    await this.settleMany([settlement]);
  }

  /**
   * Several reserves, decided one after the other in this order (one round trip for
   * a batch from one isolate). With `asks`, first grants what leases it can (each
   * held like a reservation, sized from the first request of its scope); a request
   * its scope's new lease has room for is answered with the lease's id and holds
   * nothing of its own. `ending`: leases the isolate is done with, released first.
   */
  async reserveMany(requests: ReserveRequest[], asks: LeaseAsk[] = [], ending: string[] = []): Promise<ReserveResult[]> {
    this.endLeases(ending);
    const room = new Map<string, { id: string; left: number }>();
    for (const ask of asks) {
      const like = requests.find((r) => r.scope === ask.scope);
      if (!like || room.has(ask.scope)) continue;
      const refused = await this.hold({ ...like, reservationId: ask.id, amountNanos: ask.amountNanos }, LEASE_HEADROOM);
      if (!refused) room.set(ask.scope, { id: ask.id, left: ask.amountNanos });
    }
    const results: ReserveResult[] = [];
    for (const request of requests) {
      const lease = request.scope === undefined ? undefined : room.get(request.scope);
      if (lease && request.amountNanos <= lease.left) {
        lease.left -= request.amountNanos;
        results.push({ ok: true, leaseId: lease.id });
      } else {
        results.push(await this.reserve(request));
      }
    }
    return results;
  }

  /** Stops holding these leases: the isolate has no request under them left (lease-book.ts). */
  endLeases(ids: string[]): void {
    for (const id of ids) if (this.reservations.get(id)?.expiresAt) this.setReservation(id, null);
  }

  /** Several settlements, acknowledged together once written (one round trip for a batch from one isolate). */
  async settleMany(settlements: Settlement[]): Promise<void> {
    for (const settlement of settlements) {
      // until written, the hold is the request's real cost
      this.setReservation(settlement.reservationId, heldFor(settlement, this.reservations.get(settlement.reservationId)));
      this.pending.set(settlement.reservationId, settlement);
    }
    const written = this.flushSoon();
    if (this.pending.size >= SETTLEMENTS_PER_BATCH) this.flushNow?.();
    await written;
  }

  override async alarm(): Promise<void> {
    await this.flush(true);
  }

  // ── the decision ────────────────────────────────────────────────────────────

  /** null = grant. Synchronous: nothing can interleave between this check and recording the reservation. */
  private decide(req: ReserveRequest, keyScope: string, workspaceScope: string, headroom = 1): Exclude<ReserveResult, { ok: true }> | null {
    const amount = req.amountNanos * headroom;
    const meta = { required: usd(amount) };
    if (req.keyLimitNanos !== null) {
      const left = req.keyLimitNanos - this.spend.get(keyScope)!.spent - this.held((r) => r.keyId === req.keyId);
      if (amount > left) {
        const reset = nextReset(req.keyLimitReset, req.now);
        return refusal(403, `API key limit reached: this request can cost up to $${usd(amount)} and the key has $${usd(Math.max(0, left))} of its $${usd(req.keyLimitNanos)} limit left${reset ? ` until ${new Date(reset).toISOString()}` : ""}. Raise the key's limit or lower max_tokens.`, { ...meta, limit_remaining: usd(Math.max(0, left)) });
      }
    }
    if (req.workspaceBudgetNanos !== null) {
      const left = req.workspaceBudgetNanos - this.spend.get(workspaceScope)!.spent - this.held((r) => r.workspaceId === req.workspaceId);
      if (amount > left) {
        return refusal(403, `Workspace monthly budget reached: this request can cost up to $${usd(amount)} and the workspace has $${usd(Math.max(0, left))} of its $${usd(req.workspaceBudgetNanos)} budget left this month.`, { ...meta, budget_remaining: usd(Math.max(0, left)) });
      }
    }
    const available = this.balance!.nanos - this.held(() => true);
    if (amount > available) {
      return refusal(402, `Insufficient credits: this request can cost up to $${usd(amount)} (its prompt and max_tokens at the model's price) and the account has $${usd(Math.max(0, available))} available. Add credits, or lower max_tokens.`, { ...meta, available: usd(Math.max(0, available)) });
    }
    return null;
  }

  private held(match: (r: Reservation) => boolean): number {
    let sum = 0;
    for (const r of this.reservations.values()) if (match(r)) sum += r.amount;
    return sum;
  }

  private dropExpired(now: number): void {
    for (const [id, r] of this.reservations) if (r.expiresAt !== null && r.expiresAt <= now) this.setReservation(id, null);
  }

  // ── storage, in groups ──────────────────────────────────────────────────────

  /** Changes a hold in memory (null: gone) and queues its row for the next save. */
  private setReservation(id: string, r: Reservation | null): void {
    if (r) this.reservations.set(id, r);
    else this.reservations.delete(id);
    this.unsaved.add(id);
    this.saveTimer ??= setTimeout(() => this.save(), FLUSH_INTERVAL_MS);
  }

  /**
   * Brings the stored reservations up to date in one commit: open holds are
   * written, the rest deleted. A settled hold needs no row: the worker holds its
   * settlement until D1 has it, and one D1 refused has its outbox row.
   */
  private save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const open: unknown[] = [];
    const gone: string[] = [];
    for (const id of this.unsaved) {
      const r = this.reservations.get(id);
      if (r && r.expiresAt !== null) open.push({ id, amount: r.amount, keyId: r.keyId, workspaceId: r.workspaceId, expiresAt: r.expiresAt });
      else gone.push(id);
    }
    this.unsaved.clear();
    const sql = this.ctx.storage.sql;
    if (open.length > 0) {
      sql.exec(
        `INSERT OR REPLACE INTO reservations (id, amount, key_id, workspace_id, expires_at)
         SELECT value ->> 'id', value ->> 'amount', value ->> 'keyId', value ->> 'workspaceId', value ->> 'expiresAt' FROM json_each(?)`,
        JSON.stringify(open),
      );
    }
    if (gone.length > 0) sql.exec("DELETE FROM reservations WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(gone));
  }

  // ── D1, one access at a time ────────────────────────────────────────────────

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.d1Queue.then(job, job);
    this.d1Queue = run.catch(() => {});
    return run;
  }

  private refreshBalance(req: ReserveRequest, arrival: number): Promise<void> {
    return this.serial(async () => {
      if (this.balance && this.balance.readSeq >= arrival && isFresh(this.balance.readAt, req.now, BALANCE_TTL_MS)) return; // read since this call arrived
      const readSeq = this.arrivals;
      const nanos = await readBalance(this.env.DB, req.accountId);
      this.balance = { nanos, readAt: req.now, readSeq };
    });
  }

  private async loadSpend(scope: string, since: number, owner: { keyId: string } | { workspaceId: string }): Promise<void> {
    const known = this.spend.get(scope);
    if (known && known.since >= since) return;
    await this.serial(async () => {
      const current = this.spend.get(scope);
      if (current && current.since >= since) return;
      this.spend.set(scope, { since, spent: await readSpend(this.env.DB, owner, since) });
    });
  }

  /** The next paced D1 write: at once after a quiet spell or with a full group waiting, else D1_WRITE_INTERVAL_MS after the last one. */
  private flushSoon(): Promise<void> {
    if (!this.nextFlush) {
      const wait = Math.max(0, this.lastFlushAt + D1_WRITE_INTERVAL_MS - Date.now());
      this.nextFlush = new Promise<void>((ok) => {
        const timer = setTimeout(ok, wait);
        this.flushNow = () => {
          clearTimeout(timer);
          ok();
        };
      }).then(() => {
        this.nextFlush = null; // settlements from here on wait for the next write
        this.flushNow = null;
        this.lastFlushAt = Date.now();
        return this.flush(false);
      });
    }
    return this.nextFlush;
  }

  /** Writes every pending settlement (group commit: many requests' settlements per D1 batch), then saves what changed. */
  private flush(retryRefused: boolean): Promise<void> {
    return this.serial(async () => {
      const waiting = [...this.pending.values()].filter((s) => retryRefused || !this.refused.has(s.reservationId));
      const newlyRefused: Settlement[] = [];
      for (let i = 0; i < waiting.length; i += SETTLEMENTS_PER_BATCH) {
        const group = waiting.slice(i, i + SETTLEMENTS_PER_BATCH);
        try {
          this.applyWritten(group, await writeSettlements(this.env.DB, group));
        } catch {
          // One bad settlement must not hold the others back: write them one by one.
          for (const one of group) {
            try {
              this.applyWritten([one], await writeSettlements(this.env.DB, [one]));
            } catch (e) {
              this.forgetSnapshots(); // the write may have landed after all: re-read rather than guess
              console.error("settlement not written, will retry", one.reservationId, e instanceof Error ? e.message : "");
              if (!this.refused.has(one.reservationId)) newlyRefused.push(one);
              this.refused.add(one.reservationId);
            }
          }
        }
      }
      this.save();
      if (newlyRefused.length > 0) {
        this.ctx.storage.sql.exec("INSERT OR REPLACE INTO outbox (id, body) SELECT value ->> 'reservationId', value FROM json_each(?)", JSON.stringify(newlyRefused));
      }
      // (only then: re-arming on every write would push the retry back for as long as requests keep coming)
      if (newlyRefused.length > 0 || (retryRefused && this.refused.size > 0)) await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
    });
  }

  private forgetSnapshots(): void {
    if (this.balance) this.balance.readAt = Number.NaN;
    for (const counter of this.spend.values()) counter.since = Number.NEGATIVE_INFINITY;
  }

  /** After a D1 write: move the in-memory balance and spend by what was really written, release the holds. */
  private applyWritten(group: Settlement[], written: Settlement["entries"][]): void {
    const wasRefused: string[] = [];
    group.forEach((s, i) => {
      for (const entry of written[i]!) {
        if (this.balance) this.balance.nanos += entry.amountNanos;
        if (!(SPEND_KINDS as readonly string[]).includes(entry.kind)) continue;
        const at = entry.createdAt as number;
        for (const [scope, counter] of this.spend) {
          const owns = scope.startsWith(`key:${entry.apiKeyId}:`) || scope === `workspace:${entry.workspaceId}`;
          if (owns && at >= counter.since) counter.spent -= entry.amountNanos;
        }
      }
      if (this.refused.delete(s.reservationId)) wasRefused.push(s.reservationId);
      // a settlement of the same request that arrived during the write stays pending (it writes nothing twice)
      if (this.pending.get(s.reservationId) === s) {
        this.pending.delete(s.reservationId);
        this.setReservation(s.reservationId, null);
      }
    });
    if (wasRefused.length > 0) this.ctx.storage.sql.exec("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(wasRefused));
  }
}

/** What a settled request holds until it is written: its real cost. */
function heldFor(settlement: Settlement, held: Reservation | undefined): Reservation {
  return { amount: settledCostNanos(settlement), keyId: held?.keyId ?? settlement.keyId, workspaceId: held?.workspaceId ?? settlement.generation.workspaceId, expiresAt: null };
}

function isFresh(readAt: number, now: number, ttl: number): boolean {
  const age = now - readAt;
  return age >= 0 && age <= ttl;
}

function refusal(status: 402 | 403, message: string, metadata: Record<string, unknown>): Exclude<ReserveResult, { ok: true }> {
  return { ok: false, status, message, metadata };
}

const usd = (nanos: number) => formatUsd(nanos);
