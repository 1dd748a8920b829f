import { keyringFromEnv, openProviderKey } from "@switchyard/byok";
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clearByokCache } from "../src/byok/credentials.ts";
import { resealProviderKeys } from "../src/byok/reseal.ts";
import worker from "../src/index.ts";
import { call } from "./setup/call.ts";
import { giveByokKey } from "./setup/byok.ts";
import { seedTenant } from "./setup/seed.ts";

/** A second master key, as an operator adds it to rotate (32 bytes, base64). */
const V2 = btoa("switchyard-test-master-key-two!!");
const rotatedEnv = { ...env, BYOK_MASTER_KEY_V2: V2 };
/** The gateway once the old master key is deleted. */
const onlyV2 = { ...env, BYOK_MASTER_KEY: undefined, BYOK_MASTER_KEY_V2: V2 } as unknown as typeof env;

const stored = (workspaceId: string) =>
  env.DB.prepare("SELECT provider, ciphertext, iv, key_version AS keyVersion, last4 FROM byok_keys WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<{ provider: string; ciphertext: string; iv: string; keyVersion: number; last4: string }>();

/** Runs the reseal until nothing is left to move (other test files' rows share this database). */
async function resealAll(target: typeof env) {
  let last;
  for (let i = 0; i < 50; i++) {
    last = await resealProviderKeys(target);
    if (last.resealed === 0) break;
  }
  return last!;
}

describe("BYOK master key rotation", () => {
  it("re-seals stored keys under the newest master key; with the old one deleted, requests still use them", async () => {
    const tenant = await seedTenant("byok_rotate");
    await giveByokKey(tenant, "mock", "sk-own-rotated-key-4321");
    const before = (await stored(tenant.workspaceId))!;
    expect(before.keyVersion).toBe(1);

    // before re-sealing, a gateway without the old key cannot open it: the request is served on credits
    clearByokCache();
    const unopened = await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: { model: "mock/echo", messages: [{ role: "user", content: "hi" }] }, env: onlyV2 });
    expect(unopened.status).toBe(200);
    expect(((await unopened.json()) as any).usage.is_byok).toBe(false);

    const report = await resealAll(rotatedEnv);
    expect(report.remaining).toBe(0);
    const after = (await stored(tenant.workspaceId))!;
    expect(after.keyVersion).toBe(2);
    expect(after.ciphertext).not.toBe(before.ciphertext);
    expect(after.last4).toBe("4321");
    const v2Only = (await keyringFromEnv({ BYOK_MASTER_KEY_V2: V2 }))!;
    expect(await openProviderKey(v2Only, { workspaceId: tenant.workspaceId, provider: "mock" }, after)).toBe("sk-own-rotated-key-4321");

    clearByokCache();
    const served = await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: { model: "mock/echo", messages: [{ role: "user", content: "hi" }] }, env: onlyV2 });
    expect(served.status).toBe(200);
    expect(((await served.json()) as any).usage.is_byok).toBe(true);
  });

  it("a row that will not open is left alone and counted, and does not hold back the others", async () => {
    const broken = await seedTenant("byok_rotate_broken");
    const fine = await seedTenant("byok_rotate_fine");
    await giveByokKey(broken, "mock", "sk-own-broken-key-0000");
    await giveByokKey(fine, "mock", "sk-own-fine-key-1111");
    // a corrupt row (its ciphertext is another workspace's, so it fails authentication)
    await env.DB.prepare("UPDATE byok_keys SET ciphertext = (SELECT ciphertext FROM byok_keys WHERE workspace_id = ?) WHERE workspace_id = ?")
      .bind(fine.workspaceId, broken.workspaceId)
      .run();
    const brokenBefore = (await stored(broken.workspaceId))!;

    const report = await resealProviderKeys(rotatedEnv, 1_000);
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(report.remaining).toBeGreaterThanOrEqual(1);
    expect((await stored(fine.workspaceId))!.keyVersion).toBe(2);
    expect(await stored(broken.workspaceId)).toEqual(brokenBefore);
  });

  it("a run with nothing under an older key changes nothing", async () => {
    await resealAll(rotatedEnv);
    const report = await resealProviderKeys(rotatedEnv);
    expect(report.resealed).toBe(0);
  });

  it("the cron trigger runs it", async () => {
    const tenant = await seedTenant("byok_rotate_cron");
    await giveByokKey(tenant, "mock", "sk-own-cron-key-7777");
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *", scheduledTime: Date.now() }), rotatedEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect((await stored(tenant.workspaceId))!.keyVersion).toBe(2);
  });
});
