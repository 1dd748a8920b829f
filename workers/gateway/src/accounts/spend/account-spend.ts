import { formatUsd } from "@switchyard/catalog";
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env.ts";
import { nextReset, windowStart } from "../windows.ts";
import { utcMonth } from "@switchyard/fees";
import { byokRequestsIn, countByokRequest, seedByokMonth } from "../settle-byok.ts";
import { readBalance, readSpend } from "./ledger-sql.ts";
import { addMissingRecordColumns, CREATE_RECORDS, type GenerationRecord, INSERT_RECORDS, MINUTE_MS, type RecordQuery, type RecordRow, recordRow, selectRecords, toRecord } from "./request-records.ts";
import { type RecordReconciliation, reconcileRecords } from "./reconcile-records.ts";
import { exportOldRecords, nextExportAt, retentionCutoff, retentionDays } from "./record-retention.ts";
import { bucketTotals, type Rollup, rollupKey, worthWriting, writeRollups } from "./rollup-sql.ts";
import { type LeaseAsk, type ReserveRequest, type ReserveResult, type Settlement, settledCostNanos } from "./types.ts";

/** The balance snapshot is re-read from D1 when older than this: a refund or chargeback written by billing is seen within it. */
export const BALANCE_TTL_MS = 5_000;
/** Before refusing for lack of credits, the balance is re-read unless it is younger than this: a purchase unblocks an account within it. */
export const REFUSAL_RECHECK_MS = 1_000;
/** A reservation never settled (its worker died) stops holding funds after this. */
export const RESERVATION_TTL_MS = 15 * 60_000;
/** Roll-ups D1 refused are retried after this. */
const RETRY_MS = 10_000;
/** Reservations changed within this interval reach this object's SQLite in one commit. */
export const FLUSH_INTERVAL_MS = 20;
/** A closed minute is rolled up this long after it ends (a settlement received at 59.999 s is in it by then). */
export const ROLLUP_DELAY_MS = 1_000;
/** A lease is granted only while every limit it counts against has this many times its amount left (lease-book.ts). */
export const LEASE_HEADROOM = 20;
/** Roll-ups per D1 batch (a group commit). */
export const ROLLUPS_PER_BATCH = 200;

/**
 * A request that has ended, with what it cost, whose settlement is still on its way:
 * its hold drops to that cost (client.ts sends it with the isolate's next reserve).
 */
export interface EndedRequest {
  reservationId: string;
  costNanos: number;
}

/** A settlement just recorded: what to hold for it until its roll-up is in D1. */
interface Recorded {
  id: string;
  charge: number;
  keyId: string;
  workspaceId: string;
  minute: number;
}

interface Reservation {
  amount: number;
  keyId: string;
  workspaceId: string;
  /** null once the request has ended: the hold is then its real charge, until its roll-up is in D1. */
  expiresAt: number | null;
  /** An ended request's roll-up minute: it counts against a key's or workspace's window only if inside it. */
  settledAt?: number;
}

/**
 * The per-account serialising point for spend. Every reserve is decided here, one
 * at a time — a single request's, or a lease an isolate then spends from in memory
 * (lease-book.ts), held like one big reservation — against: the account's balance (a D1 snapshot at most BALANCE_TTL_MS
 * old) minus every outstanding reservation; the key's limit in its current window;
 * the workspace's monthly budget. Settlement passes through here too, so that the
 * record, the charge and the release of the reservation are one step.
 *
 * Per-request records live here (request-records.ts): a settlement is one row of
 * this object's SQLite — its generation stats and its exact charge (the BYOK fee is
 * decided here, on this object's monthly counter) — acknowledged once stored. D1
 * gets only roll-ups (rollup-sql.ts): one ledger entry per workspace, key, model and
 * UTC minute of receipt, written once that minute has closed (an alarm, in group
 * commits), or sooner when a read of the account's usage asks (rollUp). Until its
 * roll-up is in D1, a settled request holds its charge like a reservation, so every
 * decision counts it exactly.
 *
 * D1 stays the ledger of record: another worker (billing) may write credits or
 * refunds straight into D1, which this object picks up within BALANCE_TTL_MS.
 *
 * Memory first, storage in groups: a reserve is decided and answered from memory;
 * reservations reach this object's SQLite within FLUSH_INTERVAL_MS, many per
 * commit (a commit per request cost more CPU than the rest of the request). A
 * restart therefore forgets at most the reservations of the last
 * FLUSH_INTERVAL_MS, never a settlement: unrolled records are held again from storage.
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
  /** Reservation ids whose stored row is out of date (to write, or to delete). */
  private readonly unsaved = new Set<string>();
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the alarm is set for (memo of storage's alarm, so a settlement does not read it). */
  private alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS reservations (
      id TEXT PRIMARY KEY, amount INTEGER NOT NULL, key_id TEXT NOT NULL, workspace_id TEXT NOT NULL, expires_at INTEGER)`);
    for (const statement of CREATE_RECORDS) sql.exec(statement);
    addMissingRecordColumns(sql);
    for (const r of sql.exec<{ id: string; amount: number; key_id: string; workspace_id: string; expires_at: number | null }>("SELECT * FROM reservations")) {
      this.reservations.set(r.id, { amount: r.amount, keyId: r.key_id, workspaceId: r.workspace_id, expiresAt: r.expires_at });
    }
    // settled, not yet in D1: held at their charge until rolled up
    for (const r of sql.exec<{ id: string; charge: number; api_key_id: string; workspace_id: string; minute: number }>(
      "SELECT id, cost_nanos + byok_fee_nanos AS charge, api_key_id, workspace_id, minute FROM generations WHERE rolled = 0",
    )) {
      this.reservations.set(r.id, { amount: r.charge, keyId: r.api_key_id, workspaceId: r.workspace_id, expiresAt: null, settledAt: r.minute });
    }
    void ctx.blockConcurrencyWhile(() => this.scheduleRollup());
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
   * Records a finished request: its record (stats and exact charge) is stored in
   * this object and its reservation becomes a hold of that charge until the
   * record's roll-up is in D1; resolves once stored. Idempotent: a request is
   * recorded, counted and charged once, however often its settlement arrives.
   */
  async settle(settlement: Settlement): Promise<void> {
    await this.settleMany([settlement]);
  }

  /**
   * Several reserves, decided one after the other in this order (one round trip for
   * a batch from one isolate). With `asks`, first grants what leases it can (each
   * held like a reservation, sized from the first request of its scope); a request
   * its scope's new lease has room for is answered with the lease's id and holds
   * nothing of its own. `ending`: leases the isolate is done with, released first;
   * `ended`: requests of the isolate that have ended, whose holds drop to their cost first.
   */
  async reserveMany(requests: ReserveRequest[], asks: LeaseAsk[] = [], ending: string[] = [], ended: EndedRequest[] = []): Promise<ReserveResult[]> {
    this.endLeases(ending);
    this.lowerToCost(ended);
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

  /**
   * A request that ended holds its cost, not its bound, while its settlement is on its
   * way: a client's next request, sent as its answer arrives, is not refused for the
   * bound of the one before (issue 19). Only an open hold is lowered, never raised nor
   * recreated: a settled or rolled-up request is already held at its charge, or not at all.
   */
  private lowerToCost(ended: EndedRequest[]): void {
    for (const { reservationId, costNanos } of ended) {
      const held = this.reservations.get(reservationId);
      if (held && held.expiresAt !== null && costNanos >= 0 && costNanos < held.amount) this.setReservation(reservationId, { ...held, amount: costNanos });
    }
  }

  /** Several settlements, acknowledged together once stored (one round trip for a batch from one isolate). */
  async settleMany(settlements: Settlement[]): Promise<void> {
    const sql = this.ctx.storage.sql;
    for (const s of settlements) {
      if (s.byok && byokRequestsIn(sql, utcMonth(s.byok.startedAt)) === null) await this.serial(() => seedByokMonth(sql, this.env.DB, s.accountId, s.byok!.startedAt));
    }
    // from here on synchronous: the BYOK counter and the records move together, in one transaction
    let recorded: Recorded[];
    try {
      recorded = this.ctx.storage.transactionSync(() => this.record(settlements));
    } catch {
      // One bad settlement must not hold the others back: record them one by one.
      recorded = settlements.flatMap((s) => {
        try {
          return this.ctx.storage.transactionSync(() => this.record([s]));
        } catch (e) {
          // (its reservation lapses after RESERVATION_TTL_MS; nothing was charged)
          console.error("settlement not recorded", s.reservationId, e instanceof Error ? e.message : "");
          return [];
        }
      });
    }
    for (const r of recorded) {
      const held = this.reservations.get(r.id);
      this.setReservation(r.id, { amount: r.charge, keyId: held?.keyId ?? r.keyId, workspaceId: held?.workspaceId ?? r.workspaceId, expiresAt: null, settledAt: r.minute });
    }
    await this.scheduleRollup();
  }

  /** Stores the records of settlements not recorded yet (a retried one is skipped), counting BYOK requests; call inside a transaction. */
  private record(settlements: Settlement[]): Recorded[] {
    const sql = this.ctx.storage.sql;
    const known = new Set(
      sql.exec<{ id: string }>("SELECT id FROM generations WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(settlements.map((s) => s.reservationId))).toArray().map((r) => r.id),
    );
    const rows: unknown[][] = [];
    const recorded: Recorded[] = [];
    for (const s of settlements) {
      if (known.has(s.reservationId)) continue; // a retried settlement: recorded already
      known.add(s.reservationId);
      const fee = s.byok ? countByokRequest(sql, s.byok.startedAt, s.byok.hostedCostNanos) : 0;
      const cost = settledCostNanos(s);
      // its roll-up minute is on the worker's clock, the one limit windows are decided on
      const minute = Math.floor(s.usedAt / MINUTE_MS) * MINUTE_MS;
      rows.push(recordRow(s.generation, cost, fee, minute));
      recorded.push({ id: s.reservationId, charge: cost + fee, keyId: s.keyId, workspaceId: s.generation.workspaceId, minute });
    }
    if (rows.length > 0) sql.exec(INSERT_RECORDS, JSON.stringify(rows));
    return recorded;
  }

  /**
   * Writes to D1 the roll-ups of everything received so far, the open minute too (the
   * rest of that minute is appended as a second entry when it closes): for a read of the account's usage,
   * credits or keys, which then sees every settled request. False if D1 refused some.
   */
  async rollUp(): Promise<boolean> {
    return this.rollUpBefore(Number.POSITIVE_INFINITY);
  }

  /** One of this account's generations (stats only), or null. */
  generation(id: string): GenerationRecord | null {
    const row = this.ctx.storage.sql.exec<RecordRow>("SELECT * FROM generations WHERE id = ?", id).toArray()[0];
    return row ? toRecord(row) : null;
  }

  /** A page of a workspace's generations, newest first (the dashboard's Activity list and CSV export). */
  generations(query: RecordQuery): GenerationRecord[] {
    return selectRecords(this.ctx.storage.sql, query);
  }

  /** This object's records against its roll-ups in D1 (the second level of billing:reconcile). Reads only. */
  reconcile(): Promise<RecordReconciliation> {
    return this.serial(() => reconcileRecords(this.ctx.storage.sql, this.env.DB, this.accountId()));
  }

  /** The account this object serves (its records name it; an object without records has nothing to reconcile). */
  private accountId(): string {
    return this.ctx.storage.sql.exec<{ a: string | null }>("SELECT MIN(account_id) AS a FROM generations").one().a ?? "";
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const closed = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const complete = await this.rollUpBefore(closed);
    if (this.env.RECORDS_ARCHIVE) {
      const cutoff = retentionCutoff(Date.now(), retentionDays(this.env.RECORD_RETENTION_DAYS));
      await exportOldRecords(this.ctx.storage.sql, this.env.RECORDS_ARCHIVE, this.accountId(), cutoff);
    }
    await this.scheduleRollup(complete ? undefined : Date.now() + RETRY_MS);
  }

  // ── roll-ups ────────────────────────────────────────────────────────────────

  /** Sets the alarm for the roll-up of the oldest unrolled minute (once it has closed) or `at`, and for the next export past retention. */
  private async scheduleRollup(at?: number): Promise<void> {
    const sql = this.ctx.storage.sql;
    let wanted = at ?? Number.POSITIVE_INFINITY;
    if (at === undefined) {
      const oldest = sql.exec<{ m: number | null }>("SELECT MIN(minute) AS m FROM generations WHERE rolled = 0").one().m;
      if (oldest !== null) wanted = Math.max(oldest + MINUTE_MS + ROLLUP_DELAY_MS, Date.now() + ROLLUP_DELAY_MS);
    }
    if (this.env.RECORDS_ARCHIVE) {
      const oldestKept = sql.exec<{ m: number | null }>("SELECT MIN(minute) AS m FROM generations").one().m;
      if (oldestKept !== null) wanted = Math.min(wanted, Math.max(nextExportAt(oldestKept, retentionDays(this.env.RECORD_RETENTION_DAYS)), Date.now() + ROLLUP_DELAY_MS));
    }
    if (wanted === Number.POSITIVE_INFINITY) return;
    if (this.alarmAt !== null && this.alarmAt <= wanted) return;
    this.alarmAt = wanted;
    await this.ctx.storage.setAlarm(wanted);
  }

  /**
   * Writes the roll-ups of every bucket with an unrolled record received before
   * `before`, in group commits, then marks those records rolled and releases their
   * holds. A bucket D1 refuses stays unrolled (held) and is retried whole later;
   * the others are not held back by it. True if nothing was refused.
   */
  private rollUpBefore(before: number): Promise<boolean> {
    return this.serial(async () => {
      const sql = this.ctx.storage.sql;
      const maxRowid = sql.exec<{ m: number | null }>("SELECT MAX(rowid) AS m FROM generations").one().m ?? 0;
      const buckets = bucketTotals(sql, before, maxRowid);
      if (buckets.length === 0) return true;
      const refused = new Set<string>();
      const toWrite = buckets.filter(worthWriting);
      for (let i = 0; i < toWrite.length; i += ROLLUPS_PER_BATCH) {
        const group = toWrite.slice(i, i + ROLLUPS_PER_BATCH);
        try {
          this.applyRollups(group, await writeRollups(this.env.DB, group));
        } catch {
          // One bad bucket must not hold the others back: write them one by one.
          for (const one of group) {
            try {
              this.applyRollups([one], await writeRollups(this.env.DB, [one]));
            } catch (e) {
              this.forgetSnapshots(); // the write may have landed after all: re-read rather than guess
              console.error("roll-up not written, will retry", one.idempotencyKey, e instanceof Error ? e.message : "");
              refused.add(one.idempotencyKey);
            }
          }
        }
      }
      const done = sql
        .exec<Pick<RecordRow, "id" | "account_id" | "workspace_id" | "api_key_id" | "model" | "minute">>(
          "SELECT id, account_id, workspace_id, api_key_id, model, minute FROM generations WHERE rolled = 0 AND minute < ? AND rowid <= ?",
          before,
          maxRowid,
        )
        .toArray()
        .filter((r) => !refused.has(rollupKey(r)))
        .map((r) => r.id);
      if (done.length > 0) sql.exec("UPDATE generations SET rolled = 1 WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(done));
      for (const id of done) this.setReservation(id, null);
      this.save();
      return refused.size === 0;
    });
  }

  /** After a roll-up write: move the in-memory balance and spend by what D1 really moved (0 for a bucket it had). */
  private applyRollups(group: Rollup[], moved: number[]): void {
    group.forEach((r, i) => {
      const delta = moved[i]!;
      if (delta === 0) return;
      if (this.balance) this.balance.nanos += delta;
      for (const [scope, counter] of this.spend) {
        const owns = scope.startsWith(`key:${r.apiKeyId}:`) || scope === `workspace:${r.workspaceId}`;
        if (owns && r.minute >= counter.since) counter.spent -= delta;
      }
    });
  }

  private forgetSnapshots(): void {
    if (this.balance) this.balance.readAt = Number.NaN;
    for (const counter of this.spend.values()) counter.since = Number.NEGATIVE_INFINITY;
  }

  // ── the decision ────────────────────────────────────────────────────────────

  /** null = grant. Synchronous: nothing can interleave between this check and recording the reservation. */
  private decide(req: ReserveRequest, keyScope: string, workspaceScope: string, headroom = 1): Exclude<ReserveResult, { ok: true }> | null {
    const amount = req.amountNanos * headroom;
    const meta = { required: usd(amount) };
    if (req.keyLimitNanos !== null) {
      const since = windowStart(req.keyLimitReset, req.now);
      const left = req.keyLimitNanos - this.spend.get(keyScope)!.spent - this.held((r) => r.keyId === req.keyId && inWindow(r, since));
      if (amount > left) {
        const reset = nextReset(req.keyLimitReset, req.now);
        return refusal(403, `API key limit reached: this request can cost up to $${usd(amount)} and the key has $${usd(Math.max(0, left))} of its $${usd(req.keyLimitNanos)} limit left${reset ? ` until ${new Date(reset).toISOString()}` : ""}. Raise the key's limit or lower max_tokens.`, { ...meta, limit_remaining: usd(Math.max(0, left)) });
      }
    }
    if (req.workspaceBudgetNanos !== null) {
      const since = windowStart("monthly", req.now);
      const left = req.workspaceBudgetNanos - this.spend.get(workspaceScope)!.spent - this.held((r) => r.workspaceId === req.workspaceId && inWindow(r, since));
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
   * written, the rest deleted. A settled hold needs no row: its record is stored
   * (not rolled up), and is held again from there after a restart.
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
}

/** A hold counts against a window unless it is a settled request's charge from before the window began. */
function inWindow(r: Reservation, since: number): boolean {
  return r.settledAt === undefined || r.settledAt >= since;
}

function isFresh(readAt: number, now: number, ttl: number): boolean {
  const age = now - readAt;
  return age >= 0 && age <= ttl;
}

function refusal(status: 402 | 403, message: string, metadata: Record<string, unknown>): Exclude<ReserveResult, { ok: true }> {
  return { ok: false, status, message, metadata };
}

const usd = (nanos: number) => formatUsd(nanos);
