import { models } from "./models/index.ts";
import { providers } from "./providers.ts";
import type { Model, ProviderInfo } from "./types.ts";

/** OpenRouter-style model id suffixes that pick a routing variant of the same model. */
export type ModelVariant = "free" | "nitro" | "floor" | "online";

const VARIANTS: ReadonlySet<string> = new Set<ModelVariant>(["free", "nitro", "floor", "online"]);

/** "author/slug:free" → { base: "author/slug", variant: "free" }; unknown suffixes stay in base. */
export function parseModelId(id: string): { base: string; variant?: ModelVariant } {
  const colon = id.lastIndexOf(":");
  if (colon > 0) {
    const suffix = id.slice(colon + 1);
    if (VARIANTS.has(suffix)) return { base: id.slice(0, colon), variant: suffix as ModelVariant };
  }
  return { base: id };
}

// Built once at module load; the catalog is static.
const byId: ReadonlyMap<string, Model> = new Map(models.map((m) => [m.id, m]));

/** Exact id first (so an id containing ":" still matches), then the id minus its variant. */
export function findModel(id: string): Model | undefined {
  return byId.get(id) ?? byId.get(parseModelId(id).base);
}

/** All catalog models, in catalog order (a fresh array; the models themselves are shared). */
export function allModels(): Model[] {
  return [...models];
}

/** Provider by slug; own keys only, so "constructor" or "__proto__" never match. */
export function providerFor(slug: string): ProviderInfo | undefined {
  return Object.hasOwn(providers, slug) ? providers[slug] : undefined;
}
