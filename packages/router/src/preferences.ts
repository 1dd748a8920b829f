import { parseUsdToNanos, providerFor } from "@switchyard/catalog";
import { badRequest, clip, type ProviderPreferences, providerPreferencesSchema } from "@switchyard/schemas";

/** Quantization names OpenRouter accepts in `provider.quantizations`. */
export const QUANTIZATIONS = ["int4", "int8", "fp4", "fp6", "fp8", "fp16", "bf16", "fp32", "unknown"] as const;

/** max_price in integer nanos: prompt/completion per million tokens, request per request, image per image. */
export interface MaxPriceNanos {
  promptPerMillion?: bigint;
  completionPerMillion?: bigint;
  request?: bigint;
  image?: bigint;
}

/**
 * One preferences object, checked and in the planner's terms. `label` is how
 * error messages name it: "provider" for the request's, "workspace
 * provider_preferences" for the workspace's.
 */
export interface CheckedPreferences {
  label: string;
  order?: string[];
  allowFallbacks?: boolean;
  only?: ReadonlySet<string>;
  ignore?: ReadonlySet<string>;
  sort?: "price" | "throughput" | "latency" | "least-busy";
  maxPrice?: MaxPriceNanos;
  requireParameters: boolean;
  denyDataCollection: boolean;
  zdr: boolean;
  quantizations?: ReadonlySet<string>;
}

/**
 * Checks what the schema cannot: provider slugs exist, quantizations are known,
 * prices are exact decimals. A typo must be a 400 naming the field, not a
 * silently ignored preference.
 */
export function checkPreferences(prefs: ProviderPreferences | undefined, label: string): CheckedPreferences {
  const p = prefs ?? {};
  const slugs = (field: "order" | "only" | "ignore"): string[] | undefined => {
    const list = p[field];
    list?.forEach((slug, i) => {
      if (!providerFor(slug)) throw badRequest(`${label}.${field}[${i}]: unknown provider "${clip(slug)}"`, { field: `${label}.${field}` });
    });
    return list;
  };
  p.quantizations?.forEach((q, i) => {
    if (!(QUANTIZATIONS as readonly string[]).includes(q)) {
      throw badRequest(`${label}.quantizations[${i}]: unknown quantization "${clip(q)}" (one of ${QUANTIZATIONS.join(", ")})`, {
        field: `${label}.quantizations`,
      });
    }
  });
  const only = slugs("only");
  const ignore = slugs("ignore");
  return {
    label,
    ...(p.order ? { order: slugs("order") } : {}),
    ...(p.allow_fallbacks !== undefined ? { allowFallbacks: p.allow_fallbacks } : {}),
    ...(only ? { only: new Set(only) } : {}),
    ...(ignore ? { ignore: new Set(ignore) } : {}),
    ...(p.sort ? { sort: p.sort } : {}),
    ...(p.max_price ? { maxPrice: checkMaxPrice(p.max_price, label) } : {}),
    requireParameters: p.require_parameters === true,
    denyDataCollection: p.data_collection === "deny",
    zdr: p.zdr === true,
    ...(p.quantizations ? { quantizations: new Set(p.quantizations) } : {}),
  };
}

function checkMaxPrice(max: NonNullable<ProviderPreferences["max_price"]>, label: string): MaxPriceNanos {
  const nanos = (field: keyof typeof max): bigint | undefined => {
    const value = max[field];
    if (value === undefined) return undefined;
    try {
      return parseUsdToNanos(value);
    } catch (e) {
      throw badRequest(`${label}.max_price.${field}: ${e instanceof Error ? e.message : "invalid price"}`, { field: `${label}.max_price.${field}` });
    }
  };
  const out: MaxPriceNanos = {};
  const prompt = nanos("prompt");
  const completion = nanos("completion");
  const request = nanos("request");
  const image = nanos("image");
  if (prompt !== undefined) out.promptPerMillion = prompt;
  if (completion !== undefined) out.completionPerMillion = completion;
  if (request !== undefined) out.request = request;
  if (image !== undefined) out.image = image;
  return out;
}

/**
 * The workspace's stored preferences (JSON text in D1). They were meant to be
 * checked when saved; if they are not valid now the request is refused with a
 * message that points at the workspace setting rather than at the request.
 */
export function parseWorkspacePreferences(json: string | null | undefined): ProviderPreferences | undefined {
  if (!json) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw badRequest("workspace provider_preferences is not valid JSON; fix it in the workspace settings");
  }
  const parsed = providerPreferencesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join(".");
    throw badRequest(`workspace provider_preferences${path ? `.${path}` : ""}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
