import { accountBalances, generations, ledgerEntries } from "@switchyard/db";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { GenerationOutcome } from "../inference/generation.ts";
import type { AuthContext } from "./auth.ts";
import { settleByokGeneration } from "./settle-byok.ts";

/**
 * Records a finished generation and, when it succeeded and cost something,
 * debits the account in the same D1 batch (ledger entry + running balance).
 * The ledger's idempotency key makes a retried settlement write nothing twice.
 * Failed, cut and cancelled requests are recorded but never charged. A request
 * served with the workspace's own key is charged the BYOK fee instead of usage.
 */
export async function settleGeneration(db: D1Database, auth: AuthContext, outcome: GenerationOutcome): Promise<void> {
  const d = drizzle(db);
  const charge = outcome.status === "success" && !outcome.byok ? outcome.costNanos : 0n;
  const insertGeneration = d
    .insert(generations)
    .values({
      id: outcome.id,
      accountId: auth.accountId,
      workspaceId: auth.workspaceId,
      apiKeyId: auth.keyId,
      model: outcome.model.id,
      provider: outcome.provider?.slug ?? null,
      upstreamModel: outcome.endpoint?.upstreamModel ?? null,
      status: outcome.status,
      errorCode: outcome.errorCode ?? null,
      promptTokens: outcome.usage?.promptTokens ?? 0,
      completionTokens: outcome.usage?.completionTokens ?? 0,
      costNanos: Number(charge),
      byok: outcome.byok,
      streamed: outcome.streamed,
      finishReason: outcome.finishReason,
      latencyMs: outcome.endedAt - outcome.startedAt,
      ttftMs: outcome.firstTokenAt ? outcome.firstTokenAt - outcome.startedAt : null,
      attempts: JSON.stringify(outcome.attempts),
    })
    .onConflictDoNothing();

  if (outcome.byok && outcome.status === "success") {
    await settleByokGeneration(db, auth, outcome, insertGeneration);
    return;
  }
  if (charge === 0n) {
    await insertGeneration;
    return;
  }
  const amount = -Number(charge);
  await d.batch([
    insertGeneration,
    d
      .insert(ledgerEntries)
      .values({
        accountId: auth.accountId,
        workspaceId: auth.workspaceId,
        apiKeyId: auth.keyId,
        kind: "usage",
        amountNanos: amount,
        idempotencyKey: `usage:${outcome.id}`,
        generationId: outcome.id,
      })
      .onConflictDoNothing(),
    // Only moves the balance if the ledger row above was written by this batch.
    d
      .insert(accountBalances)
      .values({ accountId: auth.accountId, balanceNanos: amount })
      .onConflictDoUpdate({
        target: accountBalances.accountId,
        set: { balanceNanos: sql`${accountBalances.balanceNanos} + ${amount}`, updatedAt: sql`(unixepoch() * 1000)` },
        setWhere: sql`changes() > 0`,
      }),
  ]);
}
