import type { SettingsForm } from "@switchyard/dashboards";
import { z } from "zod";

/**
 * The workspace's default `provider` object, in OpenRouter's request shape so the
 * gateway can merge it with a request's own. Only non-default fields are stored.
 */
export const providerPreferencesSchema = z
  .object({
    order: z.array(z.string()).optional(),
    ignore: z.array(z.string()).optional(),
    allow_fallbacks: z.boolean().optional(),
    sort: z.enum(["price", "throughput", "latency"]).optional(),
    data_collection: z.enum(["allow", "deny"]).optional(),
  })
  .loose();

export type ProviderPreferences = z.infer<typeof providerPreferencesSchema>;

/** Form fields → stored JSON (null when everything is default), or an error message. */
export function preferencesFromForm(form: SettingsForm, knownProviders: ReadonlySet<string>): string | null | { error: string } {
  const order = form.order.split(/[\s,]+/).filter(Boolean);
  const unknown = [...order, ...form.ignore].find((slug) => !knownProviders.has(slug));
  if (unknown) return { error: `Unknown provider “${unknown}”. Use slugs such as ${[...knownProviders].slice(0, 3).join(", ")}.` };
  const prefs: ProviderPreferences = {};
  if (order.length) prefs.order = [...new Set(order)];
  if (form.ignore.length) prefs.ignore = form.ignore;
  if (!form.allowFallbacks) prefs.allow_fallbacks = false;
  if (form.sort) prefs.sort = form.sort as NonNullable<ProviderPreferences["sort"]>;
  if (form.denyDataCollection) prefs.data_collection = "deny";
  return Object.keys(prefs).length ? JSON.stringify(prefs) : null;
}

/** Stored JSON → form fields; unreadable JSON shows as defaults rather than breaking the page. */
export function preferencesToForm(json: string | null): Pick<SettingsForm, "sort" | "order" | "ignore" | "allowFallbacks" | "denyDataCollection"> {
  let prefs: ProviderPreferences = {};
  try {
    prefs = json ? providerPreferencesSchema.parse(JSON.parse(json)) : {};
  } catch {
    prefs = {};
  }
  return {
    sort: prefs.sort ?? "",
    order: (prefs.order ?? []).join(", "),
    ignore: prefs.ignore ?? [],
    allowFallbacks: prefs.allow_fallbacks !== false,
    denyDataCollection: prefs.data_collection === "deny",
  };
}
