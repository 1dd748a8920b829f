import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@switchyard/keys";
import { call, chat, json } from "./setup/call.ts";
import { addCredits, seedKey, seedTenant, seedWorkspace, type SeededKey } from "./setup/seed.ts";

/**
 * Tenant isolation: workspace A's generations, keys, BYOK keys and activity are
 * invisible and untouchable from workspace B (another account) and from
 * workspace C (another workspace of A's own account).
 */
interface Side {
  name: string;
  workspaceId: string;
  inference: string;
  management: string;
}

let a: Side & { hash: string; generationId: string; mgmtHash: string };
let others: Side[];
const BYOK_LAST4 = "Zq9X";
const BYOK_CIPHERTEXT = "c2VjcmV0LWNpcGhlcnRleHQtb2Ytd29ya3NwYWNlLWE";

beforeAll(async () => {
  const tenantA = await seedTenant("iso-a");
  const mgmtA = await seedKey(tenantA.workspaceId, "iso-a", { kind: "management" });
  await addCredits(tenantA.accountId, 7_000_000_000, "purchase:iso-a", "purchase");
  const generationId = (await json(await chat(tenantA.key, "workspace A's request"))).id;
  await env.DB.prepare("INSERT INTO byok_keys (id, workspace_id, provider, ciphertext, iv, key_version, last4) VALUES (?, ?, 'openai', ?, 'aXY=', 1, ?)")
    .bind("byok_iso_a", tenantA.workspaceId, BYOK_CIPHERTEXT, BYOK_LAST4)
    .run();
  a = { name: "A", workspaceId: tenantA.workspaceId, inference: tenantA.key, management: mgmtA.key, hash: await sha256Hex(tenantA.key), mgmtHash: mgmtA.hash, generationId };

  const tenantB = await seedTenant("iso-b");
  const mgmtB = await seedKey(tenantB.workspaceId, "iso-b", { kind: "management" });
  const wsC = await seedWorkspace(tenantA.accountId, "iso-c");
  const keyC: SeededKey = await seedKey(wsC, "iso-c");
  const mgmtC = await seedKey(wsC, "iso-c", { kind: "management" });
  others = [
    { name: "B (another account)", workspaceId: tenantB.workspaceId, inference: tenantB.key, management: mgmtB.key },
    { name: "C (same account, another workspace)", workspaceId: wsC, inference: keyC.key, management: mgmtC.key },
  ];
});

/** Every read endpoint, as the other side would call it to look for A's generation and key. */
const probes = (side: Side, generationId: string, keyHash: string) => [
  call(`/api/v1/generation?id=${generationId}`, { key: side.inference }),
  call(`/api/v1/generation?id=${generationId}`, { key: side.management }),
  call("/api/v1/key", { key: side.inference }),
  call("/api/v1/credits", { key: side.inference }),
  call("/api/v1/activity", { key: side.management }),
  call(`/api/v1/activity?api_key_hash=${keyHash}`, { key: side.management }),
  call("/api/v1/keys?include_disabled=true", { key: side.management }),
  call(`/api/v1/keys/${keyHash}`, { key: side.management }),
];

async function answers(side: Side, generationId: string, keyHash: string): Promise<string[]> {
  const responses = await Promise.all(probes(side, generationId, keyHash));
  return Promise.all(responses.map(async (r) => `${r.status} ${(await r.text()).replaceAll(generationId, "<id>").replaceAll(keyHash, "<hash>")}`));
}

describe.each([0, 1])("workspace A against the other side #%i", (i) => {
  const side = () => others[i]!;

  it("cannot read A's generation stats (404, as for an id that does not exist)", async () => {
    for (const key of [side().inference, side().management]) {
      const res = await call(`/api/v1/generation?id=${a.generationId}`, { key });
      expect(res.status).toBe(404);
    }
    expect((await call(`/api/v1/generation?id=${a.generationId}`, { key: a.inference })).status).toBe(200);
  });

  it("cannot list, read, change or delete A's keys", async () => {
    const list = await json(await call("/api/v1/keys?include_disabled=true", { key: side().management }));
    expect(list.data.map((k: any) => k.hash)).not.toContain(a.hash);
    expect((await call(`/api/v1/keys/${a.hash}`, { key: side().management })).status).toBe(404);
    const patch = await call(`/api/v1/keys/${a.hash}`, { method: "PATCH", key: side().management, json: { disabled: true, name: "taken over", limit: 0 } });
    expect(patch.status).toBe(404);
    expect((await call(`/api/v1/keys/${a.hash}`, { method: "DELETE", key: side().management })).status).toBe(404);
    expect((await call(`/api/v1/keys/${a.mgmtHash}`, { method: "DELETE", key: side().management })).status).toBe(404);

    const row = await env.DB.prepare("SELECT name, disabled, limit_nanos FROM api_keys WHERE hash = ?").bind(a.hash).first();
    expect(row).toEqual({ name: "iso-a key", disabled: 0, limit_nanos: null });
    expect((await chat(a.inference, "still mine")).status).toBe(200);
  });

  it("cannot see A's activity, even filtering by A's key hash", async () => {
    expect((await json(await call("/api/v1/activity", { key: side().management }))).data).toEqual([]);
    expect((await json(await call(`/api/v1/activity?api_key_hash=${a.hash}`, { key: side().management }))).data).toEqual([]);
    expect((await json(await call("/api/v1/activity", { key: a.management }))).data.length).toBeGreaterThan(0);
  });

  it("every endpoint answers exactly as if A's generation and key did not exist, and never shows BYOK key material", async () => {
    const probed = await answers(side(), a.generationId, a.hash);
    const nothing = await answers(side(), "gen-00000000000000000000000000000000", "0".repeat(64));
    expect(probed).toEqual(nothing);
    for (const body of probed) {
      for (const secret of [a.mgmtHash, a.inference, a.management, BYOK_LAST4, BYOK_CIPHERTEXT]) expect(body).not.toContain(secret);
    }
  });

  it("creating a key cannot place it in another workspace", async () => {
    const res = await call("/api/v1/keys", { method: "POST", key: side().management, json: { name: "intruder", workspace_id: a.workspaceId, workspaceId: a.workspaceId } });
    expect(res.status).toBe(201);
    const row = await env.DB.prepare("SELECT workspace_id FROM api_keys WHERE hash = ?").bind((await json(res)).data.hash).first();
    expect(row).toEqual({ workspace_id: side().workspaceId });
  });
});

describe("credits belong to the account", () => {
  it("B's credits are its own; C shares A's account's credits by design", async () => {
    const creditsOf = async (key: string) => (await json(await call("/api/v1/credits", { key }))).data.total_credits;
    expect(await creditsOf(others[0]!.inference)).toBe(10);
    expect(await creditsOf(a.inference)).toBe(17);
    expect(await creditsOf(others[1]!.inference)).toBe(17);
  });
});
