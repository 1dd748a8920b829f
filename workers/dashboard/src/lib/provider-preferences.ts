import type { SettingsForm } from "@switchyard/dashboards";
import { type ProviderPreferences, providerPreferencesSchema } from "@switchyard/schemas";

/**
 * The workspace's default `provider` object, stored as JSON in OpenRouter's request
 * shape (the gateway's planner parses it with the same schema). The form edits
 * five fields; any other field set elsewhere (only, max_price, …) is kept.
 */
type FormFields = Pick<SettingsForm, "sort" | "order" | "ignore" | "allowFallbacks" | "denyDataCollection">;

function readStored(json: string | null): ProviderPreferences {
  if (!json) return {};
  try {
    const parsed = providerPreferencesSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Form fields → stored JSON (null when nothing is set), or the message to show. */
export function preferencesFromForm(form: FormFields, knownProviders: ReadonlySet<string>, storedJson: string | null): string | null | { error: string } {
  const order = [...new Set(form.order.split(/[\s,]+/).filter(Boolean))];
  const unknown = [...order, ...form.ignore].find((slug) => !knownProviders.has(slug));
  if (unknown) return { error: `Unknown provider “${unknown}”. Use slugs such as ${[...knownProviders].slice(0, 3).join(", ")}.` };
  const { order: _o, ignore: _i, allow_fallbacks: _a, sort: _s, data_collection: _d, ...kept } = readStored(storedJson);
  const prefs: ProviderPreferences = {
    ...kept,
    ...(order.length ? { order } : {}),
    ...(form.ignore.length ? { ignore: form.ignore } : {}),
    ...(form.allowFallbacks ? {} : { allow_fallbacks: false }),
    ...(form.sort ? { sort: form.sort as NonNullable<ProviderPreferences["sort"]> } : {}),
    ...(form.denyDataCollection ? { data_collection: "deny" as const } : {}),
  };
  return Object.keys(prefs).length ? JSON.stringify(providerPreferencesSchema.parse(prefs)) : null;
}

/** Stored JSON → form fields; unreadable JSON shows as defaults rather than breaking the page. */
export function preferencesToForm(json: string | null): FormFields {
  const prefs = readStored(json);
  return {
    sort: prefs.sort ?? "",
    order: (prefs.order ?? []).join(", "),
    ignore: prefs.ignore ?? [],
    allowFallbacks: prefs.allow_fallbacks !== false,
    denyDataCollection: prefs.data_collection === "deny",
  };
}
