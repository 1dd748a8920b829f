import { describe, expect, it } from "vitest";
import { CoalescedCallTimeout, Coalescer } from "../src/lib/coalesce.ts";

/** A batch call that records each batch and answers it when released (the oldest unanswered first). */
function recordingCall() {
  const batches: number[][] = [];
  const waiting: (() => void)[] = [];
  const call = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((ok) => waiting.push(ok));
    return items.map((n) => n * 10);
  };
  return { batches, call, release: () => waiting.shift()?.() };
}

const tick = () => new Promise((ok) => setTimeout(ok, 0));

describe("coalescing calls per key", () => {
  it("a lone call goes out at once; calls made while it is in flight go together, in order, in the next one", async () => {
    const { batches, call, release } = recordingCall();
    const c = new Coalescer<number, number>(10, 5_000);
    const first = c.run("a", 1, call);
    await tick();
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => c.run("a", n, call));
    const otherKey = c.run("b", 9, call); // another key is not held back
    await tick();
    expect(batches).toEqual([[1], [9]]);
    release(); // answers [1]: the waiting calls go out together
    expect(await first).toBe(10);
    await tick();
    expect(batches).toEqual([[1], [9], [2, 3, 4]]);
    release(); // answers [9]
    release(); // answers [2, 3, 4]
    expect(await otherKey).toBe(90);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it("with a first-call delay, an idle key's call waits that long and carries every item that arrived meanwhile", async () => {
    const { batches, call, release } = recordingCall();
    const c = new Coalescer<number, number>(10, 5_000, 30);
    const started = Date.now();
    const results = [c.run("a", 1, call)];
    await tick();
    expect(batches).toEqual([]); // not at once
    results.push(c.run("a", 2, call), c.run("a", 3, call));
    await new Promise((ok) => setTimeout(ok, 40));
    expect(batches).toEqual([[1, 2, 3]]);
    release();
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    // busy no more: the next item again waits before its call
    const later = c.run("a", 4, call);
    await tick();
    expect(batches).toHaveLength(1);
    await new Promise((ok) => setTimeout(ok, 40));
    expect(batches).toEqual([[1, 2, 3], [4]]);
    release();
    expect(await later).toBe(40);
  });

  it("a drain cuts the first-call wait short and resolves once everything queued or in flight is answered", async () => {
    const { batches, call, release } = recordingCall();
    const c = new Coalescer<number, number>(10, 5_000, 60_000); // a wait no test would sit out
    const results = [c.run("a", 1, call), c.run("a", 2, call)];
    await tick();
    expect(batches).toEqual([]); // waiting for the first call
    let drained = false;
    const drain = c.drain("a", 5_000).then(() => (drained = true));
    await tick();
    expect(batches).toEqual([[1, 2]]); // sent at once
    const inFlight = c.drain("a", 5_000); // a drain asked now waits for the call in flight
    await tick();
    expect(drained).toBe(false);
    release();
    await Promise.all([drain, inFlight]);
    expect(drained).toBe(true);
    expect(await Promise.all(results)).toEqual([10, 20]);
    await c.drain("b", 5_000); // nothing pending: at once
  });

  it("a drain gives up after its own limit", async () => {
    const { call } = recordingCall(); // never released
    const c = new Coalescer<number, number>(10, 5_000);
    void c.run("a", 1, call);
    const started = Date.now();
    await c.drain("a", 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("every caller gets its own result, batches keep the order of arrival and never exceed the maximum", async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, number>(3, 5_000);
    const call = async (items: number[]) => {
      batches.push(items);
      await tick();
      return items.map((n) => n * 10);
    };
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => c.run("k", n, call)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches[0]).toEqual([1]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(3);
    expect(batches.length).toBeLessThan(7);
  });

  it("a failed call fails every caller in its batch, and the next batch still goes out", async () => {
    const c = new Coalescer<number, number>(10, 5_000);
    let calls = 0;
    const call = async (items: number[]) => {
      calls++;
      await tick();
      if (items.includes(2)) throw new Error("round trip failed");
      return items;
    };
    const first = c.run("k", 1, call);
    const failing = [c.run("k", 2, call), c.run("k", 3, call)];
    expect(await first).toBe(1);
    for (const f of failing) await expect(f).rejects.toThrow("round trip failed");
    expect(await c.run("k", 4, call)).toBe(4);
    expect(calls).toBe(3);
  });

  it("a caller that waits too long gives up, and its item is never sent", async () => {
    const { batches, call, release } = recordingCall();
    const c = new Coalescer<number, number>(10, 30);
    const first = c.run("k", 1, call);
    const late = c.run("k", 2, call);
    await expect(late).rejects.toBeInstanceOf(CoalescedCallTimeout);
    release();
    expect(await first).toBe(10);
    expect(batches).toEqual([[1]]);
  });
});
