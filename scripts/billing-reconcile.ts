// Reconciles the LOCAL deployment at both levels and exits 1 on any difference:
// 1. D1: every account's running balance against the sum of its ledger;
// 2. every account's spend object (its per-request records, in the gateway's local Durable Object
//    storage) against that account's usage roll-ups in D1.
// Usage: pnpm billing:reconcile [--persist-to DIR] (the directory `wrangler dev --persist-to` used; default .wrangler/state)
import { execFileSync } from "node:child_process";
import { type AccountTotals, compareTotals, RECONCILE_SQL } from "../workers/billing/src/ledger/reconcile.ts";
import { reconcileSpendObjects } from "./lib/reconcile-spend-objects.ts";

const args = process.argv.slice(2);
const persistAt = args.indexOf("--persist-to");
const persistTo = persistAt >= 0 ? args[persistAt + 1]! : ".wrangler/state";

const output = execFileSync("wrangler", ["d1", "execute", "DB", "--local", "--json", "--command", RECONCILE_SQL.replace(/\s+/g, " ").trim(), ...args], {
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
const [result] = JSON.parse(output) as Array<{ results: AccountTotals[] }>;
const rows = result?.results ?? [];
const report = compareTotals(rows);

if (report.differences.length === 0) {
  console.log(`D1: ${report.accounts} account(s), every balance equals its ledger sum`);
} else {
  console.error(`D1 MISMATCH in ${report.differences.length} of ${report.accounts} account(s) (nano-dollars):`);
  for (const d of report.differences) {
    console.error(`  ${d.account_id}: balance ${d.balance_nanos}, ledger ${d.ledger_nanos}, difference ${d.difference_nanos}`);
  }
  process.exitCode = 1;
}

const objects = await reconcileSpendObjects(persistTo, rows.map((r) => r.account_id));
const drifted = objects.filter((o) => o.differences.length > 0);
if (drifted.length === 0) {
  console.log(`spend objects: ${objects.length} account(s), ${objects.reduce((n, o) => n + o.buckets, 0)} roll-up(s), every one equals its records`);
} else {
  console.error(`spend objects MISMATCH in ${drifted.length} of ${objects.length} account(s) (nano-dollars):`);
  for (const o of drifted) {
    for (const d of o.differences) console.error(`  ${o.accountId} ${d.idempotencyKey}: records ${JSON.stringify(d.records)}, D1 ${JSON.stringify(d.d1)}`);
  }
  process.exitCode = 1;
}
