import type { Endpoint } from "@switchyard/catalog";
import type { CheckedPreferences, MaxPriceNanos } from "./preferences.ts";

/**
 * A rule that narrows a model's endpoints. Rules are applied one after the
 * other, so when the list runs empty the rule that emptied it is known and the
 * 404 can name it.
 */
export interface EndpointFilter {
  /** Machine name of the constraint, for error metadata: "workspace.eu_only", "provider.only", … */
  constraint: string;
  keep(endpoint: Endpoint): boolean;
  /** Why nothing is left, e.g. "No endpoint of mock/echo-us-only is in the EU region (workspace EU-only routing is on)". */
  emptied(modelId: string): string;
}

export interface WorkspaceRules {
  zdr: boolean;
  euOnly: boolean;
}

/** Free endpoints serve only `:free`, and `:free` only free endpoints. */
export function tierFilter(free: boolean): EndpointFilter {
  return free
    ? { constraint: "variant.free", keep: (e) => e.free === true, emptied: (m) => `${m} has no free endpoint (the :free variant)` }
    : { constraint: "variant.paid", keep: (e) => e.free !== true, emptied: (m) => `${m} is only served free: ask for ${m}:free` };
}

/** The workspace's data rules come first and apply to every request; a request can only narrow them further. */
export function workspaceFilters(rules: WorkspaceRules): EndpointFilter[] {
  const out: EndpointFilter[] = [];
  if (rules.euOnly) {
    out.push({
      constraint: "workspace.eu_only",
      keep: (e) => e.region === "eu",
      emptied: (m) => `No endpoint of ${m} is in the EU region (workspace EU-only routing is on)`,
    });
  }
  if (rules.zdr) {
    out.push({
      constraint: "workspace.zdr",
      keep: (e) => e.dataPolicy.zdr,
      emptied: (m) => `No endpoint of ${m} offers zero data retention (workspace ZDR is on)`,
    });
  }
  return out;
}

/** The narrowing rules of one preferences object (the workspace's or the request's). */
export function preferenceFilters(p: CheckedPreferences, requested: readonly string[]): EndpointFilter[] {
  const out: EndpointFilter[] = [];
  const field = (name: string) => `${p.label}.${name}`;
  if (p.zdr) {
    out.push({ constraint: field("zdr"), keep: (e) => e.dataPolicy.zdr, emptied: (m) => `No endpoint of ${m} offers zero data retention (${field("zdr")} is true)` });
  }
  if (p.denyDataCollection) {
    out.push({
      constraint: field("data_collection"),
      keep: (e) => !e.dataPolicy.training && !e.dataPolicy.retainsPrompts,
      emptied: (m) => `Every endpoint of ${m} trains on or retains prompts (${field("data_collection")} is "deny")`,
    });
  }
  if (p.only) {
    const only = p.only;
    out.push({ constraint: field("only"), keep: (e) => only.has(e.provider), emptied: (m) => `No endpoint of ${m} is from a provider in ${field("only")} (${[...only].join(", ")})` });
  }
  if (p.ignore) {
    const ignore = p.ignore;
    out.push({ constraint: field("ignore"), keep: (e) => !ignore.has(e.provider), emptied: (m) => `Every provider of ${m} is in ${field("ignore")} (${[...ignore].join(", ")})` });
  }
  if (p.quantizations) {
    const q = p.quantizations;
    out.push({
      constraint: field("quantizations"),
      keep: (e) => q.has(e.quantization),
      emptied: (m) => `No endpoint of ${m} uses a quantization in ${field("quantizations")} (${[...q].join(", ")})`,
    });
  }
  if (p.requireParameters && requested.length) {
    out.push({
      constraint: field("require_parameters"),
      keep: (e) => requested.every((name) => e.supportedParameters.includes(name)),
      emptied: (m) => `No endpoint of ${m} supports every parameter of the request (${requested.join(", ")}) and ${field("require_parameters")} is true`,
    });
  }
  if (p.maxPrice) {
    const max = p.maxPrice;
    out.push({ constraint: field("max_price"), keep: (e) => withinMaxPrice(e, max), emptied: (m) => `No endpoint of ${m} is priced within ${field("max_price")}` });
  }
  if (p.order && p.allowFallbacks === false) {
    const order = new Set(p.order);
    out.push({
      constraint: field("order"),
      keep: (e) => order.has(e.provider),
      emptied: (m) => `No endpoint of ${m} is from a provider in ${field("order")} and ${field("allow_fallbacks")} is false`,
    });
  }
  return out;
}

/**
 * Exact integer comparison. Catalog prices are nanos per token; max_price is
 * USD per million tokens (OpenRouter's unit), i.e. nanos per million tokens.
 */
export function withinMaxPrice(e: Endpoint, max: MaxPriceNanos): boolean {
  const MILLION = 1_000_000n;
  if (max.promptPerMillion !== undefined && BigInt(e.pricing.prompt) * MILLION > max.promptPerMillion) return false;
  if (max.completionPerMillion !== undefined && BigInt(e.pricing.completion) * MILLION > max.completionPerMillion) return false;
  if (max.request !== undefined && BigInt(e.pricing.request ?? 0) > max.request) return false;
  if (max.image !== undefined && BigInt(e.pricing.image ?? 0) > max.image) return false;
  return true;
}

/** Applies the filters in turn; stops at the first one that leaves nothing and says which. */
export function applyFilters<E extends Endpoint>(
  endpoints: E[],
  filters: EndpointFilter[],
  modelId: string,
): { kept: E[] } | { kept: []; emptiedBy: EndpointFilter; message: string } {
  let kept = endpoints;
  for (const filter of filters) {
    kept = kept.filter((e) => filter.keep(e));
    if (kept.length === 0) return { kept: [], emptiedBy: filter, message: filter.emptied(modelId) };
  }
  return { kept };
}
