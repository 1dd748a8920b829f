// Recomputes every account's balance from the ledger on the LOCAL D1 and prints
// each difference; exits 1 if any balance differs from its ledger sum.
// Usage: pnpm billing:reconcile [extra wrangler d1 execute flags, e.g. --persist-to DIR]
import { execFileSync } from "node:child_process";
import { type AccountTotals, compareTotals, RECONCILE_SQL } from "../workers/billing/src/ledger/reconcile.ts";

const output = execFileSync("wrangler", ["d1", "execute", "DB", "--local", "--json", "--command", RECONCILE_SQL.replace(/\s+/g, " ").trim(), ...process.argv.slice(2)], {
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
const [result] = JSON.parse(output) as Array<{ results: AccountTotals[] }>;
const report = compareTotals(result?.results ?? []);

if (report.differences.length === 0) {
  console.log(`reconciled: ${report.accounts} account(s), every balance equals its ledger sum`);
} else {
  console.error(`MISMATCH in ${report.differences.length} of ${report.accounts} account(s) (nano-dollars):`);
  for (const d of report.differences) {
    console.error(`  ${d.account_id}: balance ${d.balance_nanos}, ledger ${d.ledger_nanos}, difference ${d.difference_nanos}`);
  }
  process.exitCode = 1;
}
