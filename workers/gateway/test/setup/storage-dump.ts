import { env, runInDurableObject } from "cloudflare:test";

/**
 * Every row of every table, serialised: D1 (listed from sqlite_master, so a
 * table added later is scanned too) and the SQLite storage of the gateway's
 * Durable Objects. Tests search it for text that must not be stored anywhere.
 */
export async function dumpD1(): Promise<string> {
  const { results: tables } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY name").all<{ name: string }>();
  const out: string[] = [];
  for (const { name } of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all();
    out.push(`${name}: ${JSON.stringify(results)}`);
  }
  return out.join("\n");
}

/** The tables of one Durable Object's SQLite storage, and its key-value entries. */
export async function dumpDurableObject(stub: DurableObjectStub): Promise<string> {
  return runInDurableObject(stub, async (_instance, state) => {
    const sql = state.storage.sql;
    const tables = sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'").toArray();
    const out = tables.map(({ name }) => `${name}: ${JSON.stringify(sql.exec(`SELECT * FROM "${name.replaceAll('"', '""')}"`).toArray())}`);
    out.push(`kv: ${JSON.stringify([...(await state.storage.list()).entries()])}`);
    return out.join("\n");
  });
}

/** D1, the account's spend object, the provider health and endpoint stats objects, as one text. */
export async function dumpAllStorage(accountIds: string[]): Promise<string> {
  const parts = [await dumpD1(), await dumpDurableObject(env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName("global")))];
  parts.push(await dumpDurableObject(env.ENDPOINT_STATS.get(env.ENDPOINT_STATS.idFromName("global"))));
  for (const id of accountIds) parts.push(await dumpDurableObject(env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(id))));
  return parts.join("\n");
}
