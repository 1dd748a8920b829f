// Writes the demo account's seed SQL (idempotent) and prints it to stdout.
import { createHash } from "node:crypto";

import { DEMO_KEY, DEMO_MANAGEMENT_KEY } from "./demo-key.mjs";
const sha256 = (key) => createHash("sha256").update(key).digest("hex");
const hash = sha256(DEMO_KEY);
const TEN_DOLLARS = 10_000_000_000; // nano-dollars

process.stdout.write(`
INSERT OR IGNORE INTO accounts (id, name) VALUES ('acct_demo', 'Demo account');
INSERT OR IGNORE INTO workspaces (id, account_id, name) VALUES ('ws_demo', 'acct_demo', 'Demo workspace');
INSERT OR IGNORE INTO api_keys (id, hash, prefix, name, workspace_id, kind)
  VALUES ('key_demo', '${hash}', '${DEMO_KEY.slice(0, 14)}', 'Demo key', 'ws_demo', 'inference');
INSERT OR IGNORE INTO api_keys (id, hash, prefix, name, workspace_id, kind)
  VALUES ('key_demo_management', '${sha256(DEMO_MANAGEMENT_KEY)}', '${DEMO_MANAGEMENT_KEY.slice(0, 14)}', 'Demo management key', 'ws_demo', 'management');
INSERT OR IGNORE INTO ledger_entries (account_id, workspace_id, kind, amount_nanos, idempotency_key, description)
  VALUES ('acct_demo', 'ws_demo', 'adjustment', ${TEN_DOLLARS}, 'seed:demo-credits', 'Demo credits');
INSERT OR IGNORE INTO account_balances (account_id, balance_nanos) VALUES ('acct_demo', ${TEN_DOLLARS});
`);
