/**
 * One call at a time per key; calls made while one is in flight go together in
 * the next one. A Durable Object round trip costs the same CPU for one item as
 * for fifty, so under load this turns N round trips into a few.
 *
 * The call is always made by the first caller of its batch, in that caller's own
 * request (an I/O object such as a Durable Object stub belongs to the request
 * that made it); the others get their result from it. With one caller at a time
 * nothing waits: the call goes out at once, as it would without this — or, with
 * `firstCallAfterMs`, that long after the first item of an idle key arrived.
 */
export class Coalescer<Item, Result> {
  private readonly lanes = new Map<string, Waiting<Item, Result>[]>();
  /** The batch of each key whose call is in flight. */
  private readonly inFlight = new Map<string, Waiting<Item, Result>[]>();
  /** Ends a key's first-call wait early (drain). */
  private readonly wakers = new Map<string, () => void>();

  constructor(
    private readonly maxBatch: number,
    /** A caller waiting longer than this for another's batch gives up (CoalescedCallTimeout). */
    private readonly maxWaitMs: number,
    /** A key with nothing in flight makes its call this long after its first item (those arriving meanwhile go with it). */
    private readonly firstCallAfterMs = 0,
  ) {}

  async run(key: string, item: Item, call: (items: Item[]) => Promise<Result[]>): Promise<Result> {
    let lane = this.lanes.get(key);
    const me = new Waiting<Item, Result>(item);
    if (lane) {
      lane.push(me);
      // workerd cancels a request that waits on nothing of its own (another request's
      // promise does not count) as hung: a timer of its own keeps it alive, and bounds the wait
      const timer = setTimeout(() => {
        const at = lane!.indexOf(me);
        if (at >= 0) lane!.splice(at, 1); // not sent: no batch will carry it now
        me.settle(() => me.result.reject(new CoalescedCallTimeout()));
      }, this.maxWaitMs);
      await Promise.race([me.turn.promise, me.result.promise.then(noop, noop)]);
      clearTimeout(timer);
      if (me.done) return me.result.promise; // another caller's batch carried this item, or the wait ran out
    } else {
      lane = [me];
      this.lanes.set(key, lane);
      if (this.firstCallAfterMs > 0) await this.firstCallWait(key);
    }
    const batch = lane.splice(0, this.maxBatch);
    this.inFlight.set(key, batch);
    try {
      const results = await call(batch.map((w) => w.item));
      batch.forEach((w, i) => w.settle(() => w.result.resolve(results[i]!)));
    } catch (error) {
      batch.forEach((w) => w.settle(() => w.result.reject(error)));
    } finally {
      this.inFlight.delete(key);
      // hand the next batch to its first caller, or close the lane
      if (lane.length > 0) lane[0]!.turn.resolve();
      else this.lanes.delete(key);
    }
    return me.result.promise;
  }

  /**
   * Resolves once every item of `key` already queued or in flight has its answer (or failed),
   * or after `maxWaitMs`; a first-call wait under way is cut short. For a reader that must see
   * what those calls write.
   */
  async drain(key: string, maxWaitMs: number): Promise<void> {
    const pending = [...(this.inFlight.get(key) ?? []), ...(this.lanes.get(key) ?? [])];
    if (pending.length === 0) return;
    this.wakers.get(key)?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // (the timer also keeps the waiting request alive: workerd does not count other requests' promises)
    const timeout = new Promise((ok) => (timer = setTimeout(ok, maxWaitMs)));
    await Promise.race([Promise.all(pending.map((w) => w.result.promise.then(noop, noop))), timeout]);
    clearTimeout(timer);
  }

  private firstCallWait(key: string): Promise<void> {
    return new Promise((ok) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(key);
        ok();
      };
      const timer = setTimeout(done, this.firstCallAfterMs);
      this.wakers.set(key, done);
    });
  }
}

class Waiting<Item, Result> {
  readonly turn = deferred<void>();
  readonly result = deferred<Result>();
  done = false;
  constructor(readonly item: Item) {
    this.result.promise.catch(noop); // rejections are seen by whoever awaits the result
  }
  settle(finish: () => void): void {
    if (this.done) return;
    this.done = true;
    finish();
  }
}

export class CoalescedCallTimeout extends Error {
  constructor() {
    super("waited too long for a batched call");
  }
}

const noop = () => {};

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
