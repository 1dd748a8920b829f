import { generations } from "@switchyard/db";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { GenerationRecord } from "./request-records.ts";

/**
 * Migration path: generations settled before per-request records moved into the
 * accounts' spend objects are still rows of D1's `generations` table, which nothing
 * writes any more. An id the account's object does not know is looked up there.
 */
export async function legacyGeneration(db: D1Database, id: string): Promise<(GenerationRecord & { accountId: string }) | null> {
  const [g] = await drizzle(db).select().from(generations).where(eq(generations.id, id)).limit(1);
  return g ? { ...g, attempts: g.attempts ?? null } : null;
}
