// The scale benchmark of issue 20 (not part of the test suite): `pnpm bench:scale [--old DIR]`.
//
// Drives the gateway under `wrangler dev` (fresh local state, the built-in mock provider) with
// traffic from many accounts — a few hot ones taking most requests, many cold ones a request or
// two each — and prints per 1,000 requests what the storage grew by:
//   D1 rows added (COUNT(*) over every table), D1 bytes added (the database file and its WAL),
//   bytes per account object (the AccountSpend objects' SQLite files), account objects touched.
// With `--old DIR` (a checkout of main with its dependencies, e.g. /work/main) the same run is made
// against that code too, in the same process, and both are printed side by side.
// D1 statements and Durable Object requests are not observable from outside wrangler dev; the
// design's figures for them are in docs/scaling.md.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { freePort } from "../tests/e2e/gateway-process.ts";

const run = promisify(execFile);
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", NO_UPDATE_NOTIFIER: "1" };

const { values: opts } = parseArgs({
  options: {
    accounts: { type: "string", default: "1000" },
    hot: { type: "string", default: "3" },
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "16" },
    /** Share of requests that go to the hot accounts. */
    "hot-share": { type: "string", default: "0.7" },
    old: { type: "string" },
  },
});
const ACCOUNTS = Number(opts.accounts);
const HOT = Number(opts.hot);
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
const HOT_SHARE = Number(opts["hot-share"]);

const keyOf = (i: number) => `sk-sy-v1-scale-${String(i).padStart(6, "0")}-000000000000000000`;

function seedSql(): string {
  const lines: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const hash = createHash("sha256").update(keyOf(i)).digest("hex");
    lines.push(
      `INSERT INTO accounts (id, name) VALUES ('acct_s${i}', 'Scale ${i}');`,
      `INSERT INTO workspaces (id, account_id, name) VALUES ('ws_s${i}', 'acct_s${i}', 'Scale ${i}');`,
      `INSERT INTO api_keys (id, hash, prefix, name, workspace_id, kind) VALUES ('key_s${i}', '${hash}', '${keyOf(i).slice(0, 14)}', 'Scale', 'ws_s${i}', 'inference');`,
      `INSERT INTO ledger_entries (account_id, workspace_id, kind, amount_nanos, idempotency_key) VALUES ('acct_s${i}', 'ws_s${i}', 'adjustment', 1000000000000, 'seed:s${i}');`,
      `INSERT INTO account_balances (account_id, balance_nanos) VALUES ('acct_s${i}', 1000000000000);`,
    );
  }
  return lines.join("\n");
}

/**
 * Bytes of the SQLite databases under `dir` whose path matches: each is checkpointed first (the
 * `sqlite3` CLI, if installed), so the figure is the database's pages, not the high-water mark of
 * a write-ahead log SQLite reuses without shrinking.
 */
const sizeOf = (dir: string, match: (name: string) => boolean): { bytes: number; files: number } => {
  let bytes = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (match(path) && path.endsWith(".sqlite")) {
        try {
          execFileSync("sqlite3", [path, "PRAGMA wal_checkpoint(TRUNCATE);"], { stdio: "ignore" });
        } catch {
          // no sqlite3: the WAL is counted as it stands
        }
        bytes += statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
        files++;
      }
    }
  };
  try {
    walk(dir);
  } catch {
    // not created yet
  }
  return { bytes, files };
};

interface Figures {
  requests: number;
  /** requests to the hot accounts, and the D1 rows of their usage (generations + usage entries, or roll-ups) */
  hotRequests: number;
  hotRows: number;
  ok: number;
  d1Rows: number;
  d1Bytes: number;
  objectBytes: number;
  objects: number;
}

async function measure(root: string, label: string): Promise<Figures> {
  const wrangler = join(root, "node_modules/.bin/wrangler");
  const state = mkdtempSync(join(tmpdir(), "switchyard-scale-"));
  const persist = ["--persist-to", state];
  const d1 = (sql: string) => run(wrangler, ["d1", "execute", "DB", "--local", ...persist, "--json", "--command", sql], { cwd: root, env: quietEnv });
  const rowCount = async () => {
    const { stdout } = await d1("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'");
    const tables = (JSON.parse(stdout).at(-1).results as { name: string }[]).map((t) => t.name);
    const { stdout: counts } = await d1(`SELECT ${tables.map((t) => `(SELECT COUNT(*) FROM "${t}")`).join(" + ")} AS n`);
    return JSON.parse(counts).at(-1).results[0].n as number;
  };
  const d1Size = () => sizeOf(join(state, "v3/d1"), () => true).bytes;
  const objectSize = () => sizeOf(join(state, "v3/do"), (p) => p.includes("AccountSpend"));

  await run(wrangler, ["d1", "migrations", "apply", "DB", "--local", ...persist], { cwd: root, env: quietEnv });
  writeFileSync(join(state, "seed.sql"), seedSql());
  await run(wrangler, ["d1", "execute", "DB", "--local", ...persist, "--file", join(state, "seed.sql")], { cwd: root, env: quietEnv });

  const d1Seeded = d1Size();
  const port = await freePort();
  const child: ChildProcess = spawn(wrangler, ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()), "--log-level", "warn", "--show-interactive-dev-session=false", ...persist], {
    cwd: root, env: quietEnv, stdio: "ignore", detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
      if (i > 240) throw new Error(`${label}: wrangler dev did not start`);
      await new Promise((ok) => setTimeout(ok, 500));
    }
    // one request per account first (every account is active), then the measured traffic
    const rowsBefore = await rowCount();
    let requests = 0;
    let ok = 0;
    let cold = 0;
    let hotRequests = 0;
    const ask = async (i: number) => {
      requests++;
      if (i < HOT) hotRequests++;
      const res = await fetch(`${url}/api/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${keyOf(i)}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content: "hello" }], max_tokens: 16 }),
      });
      await res.arrayBuffer();
      if (res.ok) ok++;
    };
    const deadline = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < deadline) {
          const hot = Math.random() < HOT_SHARE;
          await ask(hot ? Math.floor(Math.random() * HOT) : HOT + (cold++ % (ACCOUNTS - HOT)));
        }
      }),
    );
    // the new design rolls up each minute once it has closed: wait for that (plus the alarm's second)
    const nextMinute = Math.ceil(Date.now() / 60_000) * 60_000 + 3_000;
    await new Promise((done) => setTimeout(done, nextMinute - Date.now()));
    const rowsAfter = await rowCount();
    const hot = Array.from({ length: HOT }, (_, i) => `'acct_s${i}'`).join(", ");
    const hasGenerations = `(SELECT COUNT(*) FROM generations WHERE account_id IN (${hot}))`;
    const { stdout: hotOut } = await d1(`SELECT (SELECT COUNT(*) FROM ledger_entries WHERE account_id IN (${hot}) AND kind = 'usage') + ${hasGenerations} AS n`);
    const hotRows = JSON.parse(hotOut).at(-1).results[0].n as number;
    // sizes once workerd has closed the databases (their WALs checkpointed into the files)
    await stop(child);
    const objects = objectSize();
    return { requests, ok, hotRequests, hotRows, d1Rows: rowsAfter - rowsBefore, d1Bytes: d1Size() - d1Seeded, objectBytes: objects.bytes, objects: objects.files };
  } finally {
    await stop(child);
    rmSync(state, { recursive: true, force: true });
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once("exit", ok));
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {
    return; // gone
  }
  await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
  await new Promise((ok) => setTimeout(ok, 500)); // workerd, in the same process group, closing its files
}

const per1000 = (n: number, f: Figures) => ((n * 1000) / f.requests).toFixed(1);

const targets: Array<[string, string]> = [["this branch", resolve(import.meta.dirname, "..")]];
if (opts.old) targets.push(["old design (--old)", resolve(opts.old)]);
const results: Array<[string, Figures]> = [];
for (const [label, root] of targets) {
  console.error(`${label}: ${ACCOUNTS} accounts (${HOT} hot, ${HOT_SHARE * 100} % of requests), ${CONNECTIONS} connections, ${SECONDS} s …`);
  results.push([label, await measure(root, label)]);
}
console.log(`\n| per 1,000 requests | ${results.map(([l]) => l).join(" | ")} |`);
console.log(`| --- | ${results.map(() => "---").join(" | ")} |`);
console.log(`| requests sent (answered) | ${results.map(([, f]) => `${f.requests} (${f.ok})`).join(" | ")} |`);
console.log(`| D1 rows added | ${results.map(([, f]) => per1000(f.d1Rows, f)).join(" | ")} |`);
console.log(`| D1 usage rows per 1,000 requests of the ${HOT} hot accounts | ${results.map(([, f]) => ((f.hotRows * 1000) / Math.max(1, f.hotRequests)).toFixed(1)).join(" | ")} |`);
console.log(`| D1 bytes added | ${results.map(([, f]) => per1000(f.d1Bytes, f)).join(" | ")} |`);
console.log(`| account objects touched | ${results.map(([, f]) => String(f.objects)).join(" | ")} |`);
console.log(`| bytes per account object (total / objects) | ${results.map(([, f]) => (f.objects ? (f.objectBytes / f.objects).toFixed(0) : "0")).join(" | ")} |`);
console.log(`| account-object bytes added | ${results.map(([, f]) => per1000(f.objectBytes, f)).join(" | ")} |`);
