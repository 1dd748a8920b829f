/**
 * Spend leases: a budget the account's spend object grants to one isolate, so
 * that most requests are reserved here, in memory, with no round trip to it.
 *
 * The spend object holds a lease's whole amount against the account's credits,
 * the key's limit and the workspace's budget, as if it were one big reservation.
 * Under it, this isolate counts what it has promised: the cost bound of every
 * request still running plus the real cost of every request that ended. That
 * count never goes past the lease, so the spend the lease covers never goes past
 * what the spend object holds for it: "never overdraw" holds as without leases.
 * (A settled request's cost is then held twice, in the lease and as a settled
 * debit, until the lease ends: spend counted early, never late.)
 *
 * A lease is asked for only when a request finds no room in the current one, is
 * used for new requests for LEASE_USABLE_MS at most (so a refund or a lowered
 * balance is seen within it), and ends once nothing under it runs or is waiting
 * to be acknowledged and no new request can use it (or none did for
 * LEASE_IDLE_MS); the spend object then stops holding it. The spend object
 * grants one only while every limit it counts against has LEASE_HEADROOM times
 * its amount left: near a limit every request is decided there, one by one.
 *
 * Pure bookkeeping, no I/O: client.ts makes the round trips.
 */

/** A request asks for a lease this many times its own cost bound. */
export const LEASE_REQUESTS = 64;
/** New requests may use a lease for this long after it was granted. */
export const LEASE_USABLE_MS = 2_000;
/** A lease nothing has run under for this long ends (the spend object stops holding it). */
export const LEASE_IDLE_MS = 100;

export interface Lease {
  readonly id: string;
  readonly scope: string;
  readonly accountId: string;
  readonly amountNanos: number;
  readonly usableUntil: number;
  /** Cost bounds of the requests running under it + real costs of those that ended. */
  promisedNanos: number;
  /** Requests under it not yet acknowledged by the spend object (running, or settling). */
  open: number;
  /** Requests it has covered so far: tells an idle check whether it was used meanwhile. */
  takes: number;
  /** No longer the lease new requests of its scope use. */
  retired: boolean;
  ended: boolean;
}

export class LeaseBook {
  /** scope → the lease new requests of that scope use. */
  private readonly current = new Map<string, Lease>();

  /** Reserves `amountNanos` under the scope's current lease, if it has room and is still usable. */
  take(scope: string, amountNanos: number, now: number): Lease | null {
    const lease = this.current.get(scope);
    if (!lease) return null;
    if (now >= lease.usableUntil) {
      this.retire(lease);
      return null;
    }
    if (lease.promisedNanos + amountNanos > lease.amountNanos) return null;
    lease.promisedNanos += amountNanos;
    lease.open++;
    lease.takes++;
    return lease;
  }

  /** A lease the spend object granted, already covering `promisedNanos` over `open` requests; it replaces the scope's current one. */
  install(grant: { id: string; scope: string; accountId: string; amountNanos: number }, promisedNanos: number, open: number, now: number): Lease {
    const previous = this.current.get(grant.scope);
    if (previous) this.retire(previous);
    const lease: Lease = { ...grant, usableUntil: now + LEASE_USABLE_MS, promisedNanos, open, takes: open, retired: false, ended: false };
    this.current.set(grant.scope, lease);
    if (this.current.size > MAX_SCOPES) this.retireOldest();
    return lease;
  }

  /** A request under the lease ended having cost `costNanos` of its `boundNanos`: the difference is free again. */
  requestEnded(lease: Lease, boundNanos: number, costNanos: number): void {
    lease.promisedNanos -= boundNanos - Math.min(costNanos, boundNanos);
  }

  /** The spend object has the request's settlement. True when the lease should now end (call end()). */
  acknowledged(lease: Lease, now: number): boolean {
    lease.open--;
    if (now >= lease.usableUntil) this.retire(lease);
    return this.isDone(lease);
  }

  /** True when nothing runs under the lease and no new request may use it. */
  isDone(lease: Lease): boolean {
    return lease.retired && lease.open <= 0 && !lease.ended;
  }

  /** Marks the lease ended (its end is on its way to the spend object). */
  end(lease: Lease): void {
    this.retire(lease);
    lease.ended = true;
  }

  private retire(lease: Lease): void {
    lease.retired = true;
    if (this.current.get(lease.scope) === lease) this.current.delete(lease.scope);
  }

  private retireOldest(): void {
    const oldest = this.current.values().next().value;
    if (oldest) this.retire(oldest);
  }
}

/** Past this many scopes (account × key × limits) in one isolate, the oldest lease is retired. */
const MAX_SCOPES = 10_000;
