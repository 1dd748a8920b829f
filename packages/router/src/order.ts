import type { Endpoint } from "@switchyard/catalog";
import { endpointHealthKey, type HealthSnapshot, recentFailureAt } from "./health.ts";
import type { Random } from "./rng.ts";
import { type EndpointSignals, inFlightOf, isNearLimit, latencyOf, throughputOf } from "./signals.ts";

export type SortBy = "price" | "throughput" | "latency" | "least-busy";

export interface OrderRules {
  /** Provider slugs to try first, in this order (the caller's explicit wish: not reordered by health). */
  order?: string[];
  /** false: nothing after the ordered providers (or after the first pick when there is no order). */
  allowFallbacks: boolean;
  sort?: SortBy;
  health: HealthSnapshot;
  /** Measured latency/throughput, rate-limit headroom and load (signals.ts); absent: catalog values only. */
  signals?: EndpointSignals;
  now: number;
  random: Random;
}

/** The price an endpoint is compared by: prompt + completion per token (nanos), request price as tie-break. */
export function unitPrice(e: Endpoint): number {
  return e.pricing.prompt + e.pricing.completion;
}

/**
 * Orders a model's remaining endpoints:
 * 1. `order` providers first, as given;
 * 2. the rest balanced: healthy endpoints with rate-limit headroom, then healthy ones
 *    close to their provider's rate limit, then those that failed within the
 *    health window; the first two groups sorted by `sort`, or shuffled by weighted random
 *    (weight 1/price², so cheaper is likelier); recently failed ones oldest failure first.
 */
export function orderEndpoints<E extends Endpoint>(endpoints: E[], rules: OrderRules): E[] {
  if (rules.order?.length) {
    const ordered = rules.order.flatMap((slug) => endpoints.filter((e) => e.provider === slug));
    if (!rules.allowFallbacks) return ordered;
    const rest = endpoints.filter((e) => !ordered.includes(e));
    return [...ordered, ...balance(rest, rules)];
  }
  const balanced = balance(endpoints, rules);
  return rules.allowFallbacks ? balanced : balanced.slice(0, 1);
}

function balance<E extends Endpoint>(endpoints: E[], rules: OrderRules): E[] {
  const failedAt = new Map<E, number>();
  for (const e of endpoints) {
    const at = recentFailureAt(rules.health, endpointHealthKey(e), rules.now);
    if (at !== undefined) failedAt.set(e, at);
  }
  const healthy = endpoints.filter((e) => !failedAt.has(e));
  const failing = endpoints.filter((e) => failedAt.has(e));
  const nearLimit = healthy.filter((e) => isNearLimit(e, rules.signals));
  const clear = healthy.filter((e) => !nearLimit.includes(e));
  const rank = (list: E[]) => (rules.sort ? sortBy(list, rules.sort, rules.signals) : weightedShuffle(list, rules.random));
  return [...rank(clear), ...rank(nearLimit), ...sortStable(failing, (a, b) => failedAt.get(a)! - failedAt.get(b)!)];
}

/** Latency and throughput: measured where measured, else the catalog's typed value (signals.ts). */
export function sortBy<E extends Endpoint>(endpoints: E[], by: SortBy, signals?: EndpointSignals): E[] {
  switch (by) {
    case "price":
      return sortStable(endpoints, (a, b) => unitPrice(a) - unitPrice(b) || (a.pricing.request ?? 0) - (b.pricing.request ?? 0));
    case "throughput": // unknown throughput sorts last
      return sortStable(endpoints, (a, b) => (throughputOf(b, signals) ?? -1) - (throughputOf(a, signals) ?? -1));
    case "latency": // unknown latency sorts last
      return sortStable(endpoints, (a, b) => (latencyOf(a, signals) ?? Infinity) - (latencyOf(b, signals) ?? Infinity) || 0);
    case "least-busy": // fewest requests in flight from this isolate; ties by price
      return sortStable(endpoints, (a, b) => inFlightOf(a, signals) - inFlightOf(b, signals) || unitPrice(a) - unitPrice(b));
  }
}

/** Array.prototype.sort is stable, but on a copy so the catalog is never reordered. */
function sortStable<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  return [...list].sort(compare);
}

/**
 * Weighted random order without replacement: each pick is drawn with
 * probability weight / (sum of the remaining weights), weight = 1/price².
 * A price of 0 (free endpoints) counts as 1 nano so weights stay finite.
 */
export function weightedShuffle<E extends Endpoint>(endpoints: E[], random: Random): E[] {
  const remaining = endpoints.map((e) => ({ e, w: 1 / Math.max(unitPrice(e), 1) ** 2 }));
  const out: E[] = [];
  while (remaining.length > 1) {
    const total = remaining.reduce((s, r) => s + r.w, 0);
    let x = random() * total;
    let i = 0;
    while (i < remaining.length - 1 && x >= remaining[i]!.w) x -= remaining[i++]!.w;
    out.push(remaining.splice(i, 1)[0]!.e);
  }
  if (remaining[0]) out.push(remaining[0].e);
  return out;
}
