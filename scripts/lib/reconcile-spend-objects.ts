// The second level of billing:reconcile: opens the gateway's local storage (D1 and its Durable
// Objects, as `wrangler dev` left them) in Miniflare, running the gateway itself, and asks each
// account's AccountSpend object to compare its per-request records with its roll-ups in D1.
import { resolve } from "node:path";
import type { RecordReconciliation } from "../../workers/gateway/src/accounts/spend/reconcile-records.ts";
import { bundleGateway, fromWrangler } from "./bundle-gateway.ts";

interface SpendStub {
  reconcile(): Promise<RecordReconciliation>;
}

export async function reconcileSpendObjects(persistTo: string, accountIds: string[]): Promise<RecordReconciliation[]> {
  const { Miniflare } = fromWrangler("miniflare") as { Miniflare: new (options: Record<string, unknown>) => any };
  const state = resolve(persistTo, "v3");
  const mf = new Miniflare({
    name: "switchyard-gateway", // the Durable Objects' storage is keyed by script and class name
    modules: true,
    scriptPath: await bundleGateway(".wrangler/reconcile-gateway/index.js"),
    compatibilityDate: "2026-04-01",
    compatibilityFlags: ["nodejs_compat"],
    d1Databases: { DB: "00000000-0000-0000-0000-000000000000" },
    durableObjects: { ACCOUNT_SPEND: { className: "AccountSpend", useSQLite: true } },
    d1Persist: resolve(state, "d1"),
    durableObjectsPersist: resolve(state, "do"),
  });
  try {
    const namespace = await mf.getDurableObjectNamespace("ACCOUNT_SPEND");
    const reports: RecordReconciliation[] = [];
    for (const accountId of accountIds) {
      const stub = namespace.get(namespace.idFromName(accountId)) as SpendStub;
      reports.push({ ...(await stub.reconcile()), accountId });
    }
    return reports;
  } finally {
    await mf.dispose();
  }
}
