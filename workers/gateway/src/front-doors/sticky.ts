import { WarmCacheRoutes } from "@switchyard/router";

/**
 * Sticky routing for the agent front doors: a key's requests with the same model and the
 * same stable prefix (system prompt or instructions, tools, cache key) are sent first to the
 * provider that served the last of them, so its prompt cache is hit. Kept in this isolate's
 * memory; the prefix is a hash, the key is never kept. The request's own `provider.order`
 * wins, and workspace rules still filter (order only reorders); an endpoint that fails is
 * failed over from as usual, and the next success moves the entry.
 */
const routes = new WarmCacheRoutes();

/** A short, stable id for what a session repeats on every request; cache markers left out (clients move them). */
export async function stickyPrefix(authorization: string | undefined, parts: unknown[]): Promise<string | undefined> {
  if (!authorization) return undefined;
  const text = JSON.stringify([authorization, ...parts], (k, v) => (k === "cache_control" ? undefined : v));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const byte of digest.subarray(0, 16)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** Puts the warm provider first in the chat request, unless the client ordered providers itself. */
export function preferWarmProvider(chat: Record<string, unknown>, prefix: string | undefined): void {
  if (!prefix) return;
  const provider = (chat.provider ?? {}) as { order?: string[] };
  if (provider.order) return;
  const warm = routes.providerFor(prefix);
  if (warm) chat.provider = { ...provider, order: [warm] };
}

export function recordServed(prefix: string | undefined, provider: string | undefined): void {
  if (prefix && provider) routes.served(prefix, provider);
}

