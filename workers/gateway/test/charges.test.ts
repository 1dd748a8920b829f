import { findModel } from "@switchyard/catalog";
import { byokFeeNanos } from "@switchyard/fees";
import { reconcileAccount } from "@switchyard/db";
import { chatCompletionRequestSchema, embeddingsRequestSchema } from "@switchyard/schemas";
import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuthContext } from "../src/accounts/auth.ts";
import { chargesFor } from "../src/accounts/charges.ts";
import { byokCharge } from "../src/accounts/settle.ts";
import { costBoundNanos } from "../src/accounts/spend/cost-bound.ts";
import { embeddingsCostBoundNanos } from "../src/accounts/spend/embeddings-cost-bound.ts";
import type { GenerationOutcome } from "../src/inference/generation.ts";
import { balanceOf, call, firstRecord, sseData } from "./setup/call.ts";
import { seedTenant, type SeededTenant } from "./setup/seed.ts";
import { type ScriptedUpstreams, scriptedUpstreams } from "./setup/upstreams.ts";

/**
 * The money invariant, at the place it is enforced (chargesFor, accounts/charges.ts): a request's
 * charge never exceeds its reservation, whatever usage the upstream reports; a client that left
 * pays for what was generated; an upstream failure pays nothing. First the function itself, then
 * through the gateway with upstreams that report absurd usage.
 */
const model = findModel("mock/echo-us-only")!;
const auth = { accountId: "a", workspaceId: "w", keyId: "k" } as AuthContext;
const outcome = (fields: Partial<GenerationOutcome>): GenerationOutcome => ({
  id: "gen-charges",
  model,
  endpoint: model.endpoints[0]!,
  provider: null,
  status: "success",
  usage: { promptTokens: 10, completionTokens: 10 },
  costNanos: 30_000n,
  reservedNanos: 100_000n,
  byok: false,
  finishReason: "stop",
  streamed: true,
  startedAt: 0,
  endedAt: 1,
  attempts: [],
  ...fields,
});
const charged = (o: GenerationOutcome) => chargesFor(o, auth).reduce((sum, c) => sum + c.amountNanos, 0n);

describe("chargesFor: the money invariant", () => {
  it("an answer is charged its cost, once, under its generation's key", () => {
    expect(chargesFor(outcome({}), auth)).toEqual([{ kind: "usage", amountNanos: 30_000n, idempotencyKey: "usage:gen-charges" }]);
  });

  it("an upstream reporting absurd usage is charged at most the reservation", () => {
    const absurd = { promptTokens: 1e12, completionTokens: 1e12 };
    expect(charged(outcome({ usage: absurd, costNanos: 3_000_000_000_000_000n }))).toBe(100_000n);
    expect(charged(outcome({ status: "cancelled", usage: absurd, costNanos: 3_000_000_000_000_000n }))).toBe(100_000n);
  });

  it("a stream the client left is charged the generated part; one that relayed nothing, nothing", () => {
    expect(charged(outcome({ status: "cancelled", errorCode: 499, costNanos: 12_000n }))).toBe(12_000n);
    expect(charged(outcome({ status: "cancelled", errorCode: 499, usage: null, costNanos: 0n }))).toBe(0n);
  });

  it("an upstream failure is charged nothing, whatever it cost", () => {
    expect(chargesFor(outcome({ status: "error", errorCode: 502, costNanos: 30_000n }), auth)).toEqual([]);
  });

  it("BYOK answers charge no usage (their fee is settled downstream); a negative cost charges nothing", () => {
    expect(chargesFor(outcome({ byok: true }), auth)).toEqual([]);
    expect(chargesFor(outcome({ costNanos: -5n }), auth)).toEqual([]);
  });
});

describe("byokCharge: the BYOK fee under the same invariant", () => {
  it("a BYOK answer counts its hosted-equivalent cost; a failure, nothing", () => {
    expect(byokCharge(outcome({ byok: true }))).toEqual({ startedAt: 0, hostedCostNanos: 30_000 });
    expect(byokCharge(outcome({ byok: true, status: "error", errorCode: 502 }))).toBeNull();
    expect(byokCharge(outcome({ byok: false }))).toBeNull();
  });

  it("a BYOK stream the client left counts what was generated (its own key was billed for it); nothing relayed, nothing", () => {
    expect(byokCharge(outcome({ byok: true, status: "cancelled", errorCode: 499, costNanos: 12_000n }))).toEqual({ startedAt: 0, hostedCostNanos: 12_000 });
    expect(byokCharge(outcome({ byok: true, status: "cancelled", errorCode: 499, usage: null, costNanos: 0n }))).toBeNull();
  });

  it("absurd reported usage: the fee (5 % of the counted cost) is at most the reservation", () => {
    const counted = byokCharge(outcome({ byok: true, costNanos: 3_000_000_000_000_000n, reservedNanos: 7_000n }))!;
    expect(counted.hostedCostNanos).toBe(140_000);
    expect(byokFeeNanos(BigInt(counted.hostedCostNanos))).toBe(7_000n);
  });
});

describe("through the gateway, an upstream reporting absurd usage is charged at most the reservation", () => {
  let tenant: SeededTenant;
  let upstreams: ScriptedUpstreams;
  let before: number;
  beforeEach(async () => {
    tenant = await seedTenant(`charges-${crypto.randomUUID().slice(0, 8)}`);
    before = await balanceOf(tenant.accountId);
  });
  afterEach(async () => {
    upstreams.restore();
    expect((await reconcileAccount(env.DB, tenant.accountId)).ok).toBe(true);
  });

  const ABSURD = { prompt_tokens: 1_000_000_000, completion_tokens: 1_000_000_000, total_tokens: 2_000_000_000 };
  const body = { model: "mock/echo-us-only", messages: [{ role: "user", content: "hi" }], max_tokens: 5 };
  const plan = model.endpoints.map((endpoint) => ({ model, endpoint }));
  const reservation = Number(costBoundNanos(plan, chatCompletionRequestSchema.parse(body)));
  const json = (value: unknown, type = "application/json") => new Response(typeof value === "string" ? value : JSON.stringify(value), { headers: { "content-type": type } });
  const completion = { id: "x", object: "chat.completion", created: 1, model: "echo", choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }], usage: ABSURD };
  const chunk = (fields: object) => `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "echo", ...fields })}\n\n`;
  const stream = [
    chunk({ choices: [{ index: 0, delta: { role: "assistant", content: "hi" }, finish_reason: null }] }),
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
    chunk({ choices: [], usage: ABSURD }),
    "data: [DONE]\n\n",
  ].join("");

  async function expectCharged(res: Response, nanos: number) {
    const id = res.headers.get("x-generation-id");
    const row = await firstRecord<{ status: string; cost_nanos: number }>(tenant.accountId, "SELECT status, cost_nanos FROM generations WHERE id = ?", id);
    expect(row).toEqual({ status: "success", cost_nanos: nanos });
    expect(await balanceOf(tenant.accountId)).toBe(before - nanos);
  }

  it("chat, not streamed: charged the reservation, and the answer's usage.cost says so", async () => {
    upstreams = scriptedUpstreams({ mock: [{ raw: () => json(completion) }] });
    const res = await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: body, env: upstreams.env });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).usage.cost).toBe(reservation / 1e9);
    await expectCharged(res, reservation);
  });

  it("chat, streamed: charged the reservation, and the last chunk's usage.cost says so", async () => {
    upstreams = scriptedUpstreams({ mock: [{ raw: () => json(stream, "text/event-stream") }] });
    const res = await call("/api/v1/chat/completions", { method: "POST", key: tenant.key, json: { ...body, stream: true }, env: upstreams.env });
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    expect(JSON.parse(events.at(-2)!).usage.cost).toBe(reservation / 1e9);
    await expectCharged(res, reservation);
  });

  it("embeddings: charged the reservation", async () => {
    const embed = findModel("mock/embed")!;
    const request = { model: "mock/embed", input: "hello" };
    const bound = Number(embeddingsCostBoundNanos(embed.endpoints.map((endpoint) => ({ model: embed, endpoint })), embeddingsRequestSchema.parse(request)));
    const answer = { object: "list", model: "embed", data: [{ object: "embedding", index: 0, embedding: [0.6, 0.8] }], usage: { prompt_tokens: 1_000_000_000, total_tokens: 1_000_000_000 } };
    upstreams = scriptedUpstreams({ mock: [{ raw: () => json(answer) }] });
    const res = await call("/api/v1/embeddings", { method: "POST", key: tenant.key, json: request, env: upstreams.env });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).usage.cost).toBe(bound / 1e9);
    await expectCharged(res, bound);
  });
});
