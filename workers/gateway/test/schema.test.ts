import { reconcileAccount, schema } from "@switchyard/db";
import { env } from "cloudflare:test";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { addCredits, seedTenant } from "./setup/seed.ts";

/** The migrations, applied to an empty D1 by the test setup, must give exactly the Drizzle schema. */
const tables = (Object.values(schema) as unknown[]).filter((t): t is SQLiteTable => t instanceof SQLiteTable).map(getTableConfig);

describe("schema and migrations, from an empty database", () => {
  it("every migration in migrations/ was applied, in order", async () => {
    const { results } = await env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
    expect(results.length).toBeGreaterThanOrEqual(2);
  });

  it.each(tables.map((t) => [t.name, t] as const))("table %s has every column of the Drizzle schema, with its nullability", async (name, table) => {
    const { results } = await env.DB.prepare(`PRAGMA table_info(${name})`).all<{ name: string; notnull: number; pk: number }>();
    const actual = Object.fromEntries(results.map((c) => [c.name, c.notnull === 1 || c.pk === 1]));
    const expected = Object.fromEntries(table.columns.map((c) => [c.name, c.notNull]));
    expect(actual).toEqual(expected);
  });

  it("every index of the Drizzle schema exists", async () => {
    const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all<{ name: string }>();
    const names = results.map((r) => r.name);
    for (const table of tables) for (const index of table.indexes) expect(names).toContain(index.config.name);
  });

  it("a ledger idempotency key can be used once", async () => {
    const t = await seedTenant("schema-idem", 0);
    await addCredits(t.accountId, 100, "once");
    await expect(addCredits(t.accountId, 100, "once")).rejects.toThrow(/UNIQUE/);
    expect(await reconcileAccount(env.DB, t.accountId)).toEqual({ accountId: t.accountId, ledgerSum: 100, balance: 100, ok: true });
  });
});

describe("reconcile", () => {
  it("proves balance == SUM(ledger), and says so when it does not hold", async () => {
    const good = await seedTenant("reconcile-good", 5_000);
    const bad = await seedTenant("reconcile-bad", 5_000);
    await env.DB.prepare("UPDATE account_balances SET balance_nanos = balance_nanos + 1 WHERE account_id = ?").bind(bad.accountId).run();
    expect(await reconcileAccount(env.DB, bad.accountId)).toEqual({ accountId: bad.accountId, ledgerSum: 5_000, balance: 5_001, ok: false });
    expect(await reconcileAccount(env.DB, good.accountId)).toEqual({ accountId: good.accountId, ledgerSum: 5_000, balance: 5_000, ok: true });
  });

  it("an account with no ledger and no balance row reconciles at zero", async () => {
    await env.DB.prepare("INSERT INTO accounts (id, name) VALUES ('acct_empty', 'empty')").run();
    expect(await reconcileAccount(env.DB, "acct_empty")).toEqual({ accountId: "acct_empty", ledgerSum: 0, balance: 0, ok: true });
  });
});
