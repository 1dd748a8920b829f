import { type KeyKind, KeysPage, type KeysData, type LimitReset } from "@switchyard/dashboards";
import { type Context, Hono } from "hono";
import { dbOf } from "../db/client.ts";
import { deleteKey, insertKey, type KeyFields, listKeys, setKeyDisabled, updateKey } from "../db/keys.ts";
import type { AppEnv } from "../env.ts";
import { keyLimitProblem, newApiKey } from "@switchyard/keys";
import { parseUsdToNanos } from "../lib/money.ts";
import { backTo, field, pageContext } from "../lib/page-context.ts";
import { notFoundPage } from "../middleware/error-pages.tsx";

const RESETS = new Set<LimitReset>(["none", "daily", "weekly", "monthly"]);
const KINDS = new Set<KeyKind>(["inference", "management"]);
/** As the provisioning API allows. */
const MAX_NAME = 100;

type Form = { name: string; limit: string; reset: string; kind: string };

/** The key form's fields, or the message to show next to the form. */
function readKeyFields(form: Form): KeyFields | string {
  if (!form.name) return "Give the key a name.";
  if (form.name.length > MAX_NAME) return `Key names are at most ${MAX_NAME} characters.`;
  if (!RESETS.has(form.reset as LimitReset)) return "Choose when the limit resets.";
  let limitNanos: number | null = null;
  if (form.limit) {
    limitNanos = parseUsdToNanos(form.limit);
    if (limitNanos === null) return "Enter the credit limit in dollars, like 25 or 25.50 — or leave it empty for no limit.";
    const problem = keyLimitProblem(BigInt(limitNanos)); // the provisioning API's rule, so the API can always show the key
    if (problem) return problem;
  }
  return { name: form.name, limitNanos, limitReset: form.reset as LimitReset };
}

async function render(c: Context<AppEnv>, extra: Partial<KeysData> & { error?: string } = {}, status: 200 | 400 = 200) {
  const keys = await listKeys(dbOf(c.env.DB), c.get("workspace").id);
  const data: KeysData = { keys, created: null, gatewayUrl: c.env.GATEWAY_URL ?? "http://127.0.0.1:8787", ...extra };
  return c.html(<KeysPage ctx={pageContext(c, "keys", extra.error)} data={data} />, status);
}

const readForm = async (c: Context<AppEnv>): Promise<Form> => {
  const body = await c.req.parseBody();
  return { name: field(body, "name"), limit: field(body, "limit"), reset: field(body, "reset") || "none", kind: field(body, "kind") || "inference" };
};

export const keys = new Hono<AppEnv>()
  .get("/", (c) => render(c))
  .post("/", async (c) => {
    const form = await readForm(c);
    const fields = readKeyFields(form);
    if (typeof fields === "string") return render(c, { error: fields, form }, 400);
    if (!KINDS.has(form.kind as KeyKind)) return render(c, { error: "Choose the kind of key.", form }, 400);
    const { key, hash, prefix } = await newApiKey();
    await insertKey(dbOf(c.env.DB), c.get("workspace").id, form.kind as KeyKind, hash, prefix, fields);
    // Rendered, not redirected: the key must not travel in a URL, and is never shown again.
    c.header("cache-control", "no-store");
    return render(c, { created: { name: fields.name, key, kind: form.kind as KeyKind } });
  })
  .post("/:keyId", async (c) => {
    const fields = readKeyFields(await readForm(c));
    if (typeof fields === "string") return render(c, { error: fields }, 400);
    if (!(await updateKey(dbOf(c.env.DB), c.get("workspace").id, c.req.param("keyId"), fields))) return notFoundPage(c);
    return backTo(c, "/keys", "key-updated");
  })
  .post("/:keyId/:action{disable|enable}", async (c) => {
    const disable = c.req.param("action") === "disable";
    if (!(await setKeyDisabled(dbOf(c.env.DB), c.get("workspace").id, c.req.param("keyId"), disable))) return notFoundPage(c);
    return backTo(c, "/keys", disable ? "key-disabled" : "key-enabled");
  })
  .post("/:keyId/delete", async (c) => {
    if (!(await deleteKey(dbOf(c.env.DB), c.get("workspace").id, c.req.param("keyId")))) return notFoundPage(c);
    return backTo(c, "/keys", "key-deleted");
  });
