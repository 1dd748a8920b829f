import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addMissingRecordColumns } from "../src/accounts/spend/request-records.ts";
import { seedTenant } from "./setup/seed.ts";
import { settlementOf, spendObjectOf } from "./setup/spend.ts";

/**
 * An account object made by an older version keeps its records table: at start-up the
 * columns added since (end user, redactions, cache hit) are added to it, and a record
 * settled afterwards keeps them.
 */
describe("records table upgrade", () => {
  it("adds the new columns to a table made without them, and records settled afterwards keep their values", async () => {
    const t = await seedTenant("records-upgrade");
    const spend = spendObjectOf(t);
    await runInDurableObject(spend as unknown as DurableObjectStub, async (_, state) => {
      const sql = state.storage.sql;
      for (const column of ["end_user", "redactions", "cache_hit"]) sql.exec(`ALTER TABLE generations DROP COLUMN ${column}`);
      addMissingRecordColumns(sql);
      addMissingRecordColumns(sql); // twice: nothing more to add
      const names = [...sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('generations')")].map((c) => c.name);
      expect(names).toEqual(expect.arrayContaining(["end_user", "redactions", "cache_hit"]));
    });
    const settlement = settlementOf(t, "gen-upgraded", 1_000);
    settlement.generation = { ...settlement.generation, endUser: "user-42", redactions: 3, cacheHit: true };
    await spend.settle(settlement);
    expect(await spend.generation("gen-upgraded")).toMatchObject({ endUser: "user-42", redactions: 3, cacheHit: true });
  });
});
