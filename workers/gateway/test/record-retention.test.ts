import { env, runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { archiveKey, DAY_MS } from "../src/accounts/spend/record-retention.ts";
import { resetClockForTests, setNowForTests } from "../src/lib/clock.ts";
import { chat, firstRecord, json, records } from "./setup/call.ts";
import { seedTenant } from "./setup/seed.ts";
import { settlementOf, spendObjectOf } from "./setup/spend.ts";

afterEach(resetClockForTests);

const gunzipLines = async (object: R2ObjectBody) => {
  const bytes = await object.arrayBuffer();
  const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  return text.trim().split("\n").map((l) => JSON.parse(l));
};

describe("per-request records past retention (30 days)", () => {
  it("are exported to R2 (NDJSON, gzip, one object per account per UTC day) and deleted from the object; D1's roll-ups stay", async () => {
    const t = await seedTenant("retention", 100_000);
    const spend = spendObjectOf(t);
    const old = Date.now() - 40 * DAY_MS;
    const day = Math.floor(old / DAY_MS) * DAY_MS;
    await spend.settleMany([1, 2].map((i) => ({ ...settlementOf(t, `gen-old-${i}`, 1_000 * i), usedAt: old + i })));
    await spend.settle(settlementOf(t, "gen-recent", 500));
    expect(await spend.rollUp()).toBe(true);
    await runDurableObjectAlarm(spend as unknown as DurableObjectStub);

    const archived = await env.RECORDS_ARCHIVE!.get(archiveKey(t.accountId, day));
    expect(archived).not.toBeNull();
    const lines = await gunzipLines(archived!);
    expect(lines.map((l) => [l.id, l.costNanos])).toEqual([["gen-old-1", 1_000], ["gen-old-2", 2_000]]);
    expect(await records(t.accountId, "SELECT id FROM generations ORDER BY id")).toEqual([{ id: "gen-recent" }]);
    expect(await spend.generation("gen-old-1")).toBeNull();
    const rollups = await env.DB.prepare("SELECT -SUM(amount_nanos) AS s FROM ledger_entries WHERE account_id = ? AND idempotency_key LIKE 'rollup:%'").bind(t.accountId).first<number>("s");
    expect(rollups).toBe(3_500);
    expect((await spend.reconcile()).differences).toEqual([]);
  });

  it("a ZDR workspace's export holds no prompt or answer text", async () => {
    const t = await seedTenant("retention-zdr", 10_000_000_000, { zdr: true });
    setNowForTests(Date.now() - 35 * DAY_MS);
    const body = await json(await chat(t.key, "zdr-marker-7f3a tell me a secret"));
    resetClockForTests();
    expect(await firstRecord(t.accountId, "SELECT rolled FROM generations WHERE id = ?", body.id)).toEqual({ rolled: 0 });
    await spendObjectOf(t).rollUp();
    await runDurableObjectAlarm(spendObjectOf(t) as unknown as DurableObjectStub);
    const listed = await env.RECORDS_ARCHIVE!.list({ prefix: `generations/${t.accountId}/` });
    expect(listed.objects).toHaveLength(1);
    const lines = await gunzipLines((await env.RECORDS_ARCHIVE!.get(listed.objects[0]!.key))!);
    expect(lines.map((l) => l.id)).toEqual([body.id]);
    expect(JSON.stringify(lines)).not.toMatch(/zdr-marker|secret/);
  });
});
