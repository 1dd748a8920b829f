import { keyringFromEnv, maskedProviderKey, sealProviderKey } from "@switchyard/byok";
import { providers } from "@switchyard/catalog";
import { ByokPage } from "@switchyard/dashboards";
import { type Context, Hono } from "hono";
import { deleteByokKey, listByokKeys, saveByokKey, setByokAlwaysUse } from "../db/byok.ts";
import { dbOf } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { backTo, field, pageContext } from "../lib/page-context.ts";
import { notFoundPage } from "../middleware/error-pages.tsx";

/** Real providers only: the mocks take no key. */
const BYOK_PROVIDERS = Object.values(providers)
  .filter((p) => p.apiKeyEnv)
  .map((p) => ({ slug: p.slug, name: p.name }));
const NAMES = new Map(BYOK_PROVIDERS.map((p) => [p.slug, p.name]));
const NOT_CONFIGURED = "BYOK is not configured on this deployment (BYOK_MASTER_KEY is not set).";

/** The master keys from the BYOK_MASTER_KEY* secrets, or null; a malformed secret reads as not configured. */
const keyring = (c: Context<AppEnv>) => keyringFromEnv(c.env as unknown as Record<string, unknown>).catch(() => null);

async function render(c: Context<AppEnv>, error?: string) {
  const [rows, ring] = await Promise.all([listByokKeys(dbOf(c.env.DB), c.get("workspace").id), keyring(c)]);
  return c.html(
    <ByokPage
      ctx={pageContext(c, "byok", error)}
      data={{
        keys: rows.map((r) => ({ ...r, masked: maskedProviderKey(r.last4), providerName: NAMES.get(r.provider) ?? r.provider })),
        providers: BYOK_PROVIDERS,
        unavailable: ring ? null : NOT_CONFIGURED,
      }}
    />,
    error ? 400 : 200,
  );
}

export const byok = new Hono<AppEnv>()
  .get("/", (c) => render(c))
  .post("/", async (c) => {
    const ring = await keyring(c);
    if (!ring) return render(c, NOT_CONFIGURED);
    const body = await c.req.parseBody();
    const provider = field(body, "provider");
    const key = field(body, "key");
    if (!NAMES.has(provider)) return render(c, "Choose a provider from the list.");
    if (key.length < 8 || key.length > 512 || /\s/.test(key)) return render(c, "That does not look like an API key: paste the whole key, without spaces.");
    const ws = c.get("workspace");
    const sealed = await sealProviderKey(ring, { workspaceId: ws.id, provider }, key);
    await saveByokKey(dbOf(c.env.DB), ws.id, provider, sealed, body.always_use === "on");
    return backTo(c, "/byok", "byok-saved");
  })
  .post("/:id", async (c) => {
    const alwaysUse = field(await c.req.parseBody(), "always_use") === "on";
    if (!(await setByokAlwaysUse(dbOf(c.env.DB), c.get("workspace").id, c.req.param("id"), alwaysUse))) return notFoundPage(c);
    return backTo(c, "/byok", "byok-updated");
  })
  .post("/:id/delete", async (c) => {
    if (!(await deleteByokKey(dbOf(c.env.DB), c.get("workspace").id, c.req.param("id")))) return notFoundPage(c);
    return backTo(c, "/byok", "byok-deleted");
  });
