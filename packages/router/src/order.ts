import type { Endpoint } from "@switchyard/catalog";
import { endpointHealthKey, type HealthSnapshot, recentFailureAt } from "./health.ts";
import type { Random } from "./rng.ts";

export type SortBy = "price" | "throughput" | "latency";

export interface OrderRules {
  /** Provider slugs to try first, in this order (the caller's explicit wish: not reordered by health). */
  order?: string[];
  /** false: nothing after the ordered providers (or after the first pick when there is no order). */
  allowFallbacks: boolean;
  sort?: SortBy;
  health: HealthSnapshot;
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
 * 2. the rest balanced: healthy endpoints before those that failed within the
 *    health window; each group sorted by `sort`, or shuffled by weighted random
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
  const rank = (list: E[]) => (rules.sort ? sortBy(list, rules.sort) : weightedShuffle(list, rules.random));
  return [...rank(healthy), ...sortStable(failing, (a, b) => failedAt.get(a)! - failedAt.get(b)!)];
}

export function sortBy<E extends Endpoint>(endpoints: E[], by: SortBy): E[] {
  switch (by) {
    case "price":
      return sortStable(endpoints, (a, b) => unitPrice(a) - unitPrice(b) || (a.pricing.request ?? 0) - (b.pricing.request ?? 0));
    case "throughput": // unknown throughput sorts last
      return sortStable(endpoints, (a, b) => (b.throughput ?? -1) - (a.throughput ?? -1));
    case "latency": // unknown latency sorts last
      return sortStable(endpoints, (a, b) => (a.latencyMs ?? Infinity) - (b.latencyMs ?? Infinity) || 0);
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
