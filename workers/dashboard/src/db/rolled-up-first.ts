import type { Env } from "../env.ts";

/**
 * Has the account's spend object (in the gateway) write its usage roll-ups, the open
 * minute's too, before a page reads usage or the balance from D1: as the API's reads
 * do, so a call made a moment ago shows at once instead of when its minute closes.
 * If the gateway's object cannot be reached, the page shows what D1 has.
 */
export async function rolledUpFirst(env: Env, accountId: string): Promise<void> {
  const spend = env.ACCOUNT_SPEND.get(env.ACCOUNT_SPEND.idFromName(accountId)) as unknown as { rollUp(): Promise<boolean> };
  await spend.rollUp().catch(() => {});
}
