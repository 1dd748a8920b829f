// Prints SQL (idempotent) for a local demo user who owns the seeded demo workspace, so the
// dashboard shows the demo key's $10 of credits and its usage. Local D1 only.
import { pbkdf2Sync, randomBytes } from "node:crypto";

export const DEMO_EMAIL = "demo@switchyard.local";
export const DEMO_PASSWORD = "switchyard-demo";

// Same format as workers/dashboard/src/auth/password.ts: pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>.
const salt = randomBytes(16);
const hash = pbkdf2Sync(DEMO_PASSWORD, salt, 100_000, 32, "sha256");
const passwordHash = `pbkdf2-sha256$100000$${salt.toString("base64")}$${hash.toString("base64")}`;

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`
INSERT OR IGNORE INTO users (id, email, password_hash) VALUES ('usr_demo', '${DEMO_EMAIL}', '${passwordHash}');
INSERT OR IGNORE INTO members (workspace_id, user_id, role) VALUES ('ws_demo', 'usr_demo', 'owner');
`);
}
