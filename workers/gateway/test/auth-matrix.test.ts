import { beforeAll, describe, expect, it } from "vitest";
import { call, json } from "./setup/call.ts";
import { seedKey, seedTenant } from "./setup/seed.ts";

/**
 * Every endpoint × every kind of credential (auth.test.ts has the single cases
 * and their messages; isolation.test.ts the cross-workspace ones): no key, a
 * malformed one, an unknown one, a disabled, an expired and a deleted one get
 * 401; a real key of the wrong kind gets 403; the right kind gets through.
 */
type Kind = "inference" | "management" | "public";

interface Endpoint {
  name: string;
  method: string;
  path: () => string;
  body?: unknown;
  allowed: Kind[];
}

const ENDPOINTS: Endpoint[] = [
  { name: "chat completions", method: "POST", path: () => "/api/v1/chat/completions", body: { model: "mock/echo", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }, allowed: ["inference"] },
  { name: "completions", method: "POST", path: () => "/api/v1/completions", body: { model: "mock/echo", prompt: "hi", max_tokens: 5 }, allowed: ["inference"] },
  { name: "embeddings", method: "POST", path: () => "/api/v1/embeddings", body: { model: "mock/embed", input: "hi" }, allowed: ["inference"] },
  { name: "key", method: "GET", path: () => "/api/v1/key", allowed: ["inference", "management"] },
  { name: "credits", method: "GET", path: () => "/api/v1/credits", allowed: ["inference", "management"] },
  { name: "generation", method: "GET", path: () => "/api/v1/generation?id=gen-00000000000000000000000000000000", allowed: ["inference", "management"] },
  { name: "activity", method: "GET", path: () => "/api/v1/activity", allowed: ["management"] },
  { name: "list keys", method: "GET", path: () => "/api/v1/keys", allowed: ["management"] },
  { name: "create key", method: "POST", path: () => "/api/v1/keys", body: { name: "matrix" }, allowed: ["management"] },
  { name: "read key", method: "GET", path: () => `/api/v1/keys/${"0".repeat(64)}`, allowed: ["management"] },
  { name: "change key", method: "PATCH", path: () => `/api/v1/keys/${"0".repeat(64)}`, body: { name: "x" }, allowed: ["management"] },
  { name: "delete key", method: "DELETE", path: () => `/api/v1/keys/${"0".repeat(64)}`, allowed: ["management"] },
  { name: "models", method: "GET", path: () => "/api/v1/models", allowed: ["public"] },
  { name: "model endpoints", method: "GET", path: () => "/api/v1/models/mock/echo/endpoints", allowed: ["public"] },
  { name: "health", method: "GET", path: () => "/health", allowed: ["public"] },
];

const keys: Record<string, string | undefined> = {};
beforeAll(async () => {
  const t = await seedTenant("matrix");
  keys.inference = t.key;
  keys.management = (await seedKey(t.workspaceId, "matrix", { kind: "management" })).key;
  keys.disabledInference = (await seedKey(t.workspaceId, "matrix-disabled", { disabled: true })).key;
  keys.expiredInference = (await seedKey(t.workspaceId, "matrix-expired", { expiresAt: Date.now() - 1 })).key;
  keys.disabledManagement = (await seedKey(t.workspaceId, "matrix-disabled-m", { kind: "management", disabled: true })).key;
  keys.expiredManagement = (await seedKey(t.workspaceId, "matrix-expired-m", { kind: "management", expiresAt: Date.now() - 1 })).key;
  // made and deleted through the provisioning API
  const created = await json(await call("/api/v1/keys", { method: "POST", key: keys.management, json: { name: "to delete" } }));
  expect((await call(`/api/v1/keys/${created.data.hash}`, { method: "DELETE", key: keys.management })).status).toBe(200);
  keys.deleted = created.key;
});

const send = (endpoint: Endpoint, authorization?: string) =>
  call(endpoint.path(), {
    method: endpoint.method,
    ...(endpoint.body ? { json: endpoint.body } : {}),
    ...(authorization === undefined ? {} : { headers: { authorization } }),
  });

const REFUSED = [
  ["no key", () => undefined],
  ["an empty bearer", () => "Bearer "],
  ["a malformed key", () => "Bearer not-a-switchyard-key"],
  ["another scheme", () => `Basic ${btoa(`user:${keys.inference}`)}`],
  ["an unknown key", () => "Bearer sk-sy-v1-unknown-0000000000000000000000"],
  ["a disabled inference key", () => `Bearer ${keys.disabledInference}`],
  ["an expired inference key", () => `Bearer ${keys.expiredInference}`],
  ["a disabled management key", () => `Bearer ${keys.disabledManagement}`],
  ["an expired management key", () => `Bearer ${keys.expiredManagement}`],
  ["a deleted key", () => `Bearer ${keys.deleted}`],
] as const;

describe.each(ENDPOINTS)("$method $name", (endpoint) => {
  const isPublic = endpoint.allowed.includes("public");

  it.each(REFUSED)(isPublic ? "answers with %s (public)" : "401 with %s", async (_name, authorization) => {
    const res = await send(endpoint, authorization());
    if (isPublic) return expect(res.status).toBe(200);
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe(401);
  });

  it.each(["inference", "management"] as const)("with an %s key", async (kind) => {
    const res = await send(endpoint, `Bearer ${keys[kind]}`);
    if (isPublic || endpoint.allowed.includes(kind)) {
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    } else {
      expect(res.status).toBe(403);
      expect((await json(res)).error.code).toBe(403);
    }
  });
});
