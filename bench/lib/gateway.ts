import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { answers, freePort, quietEnv, type Server, startServer } from "./procs.ts";
import { ROOT } from "./paths.ts";

const run = promisify(execFile);
const bin = (name: string) => join(ROOT, "node_modules/.bin", name);

/** Credits for the bench account: enough that no run ever meets a 402 (one request costs ~$0.00001–0.0001). */
const BENCH_CREDIT_NANOS = 10_000 * 1_000_000_000;

/** Bundles the gateway exactly as `wrangler deploy` would upload it; returns the entry module. */
export async function buildWorker(dirName = "bench-build"): Promise<string> {
  const outdir = join(ROOT, ".wrangler", dirName);
  rmSync(outdir, { recursive: true, force: true });
  await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", outdir], { cwd: ROOT, env: quietEnv });
  return join(outdir, "index.js");
}

export interface GatewayState {
  dir: string;
  apiKey: string;
  remove(): void;
}

/**
 * Where local D1 lives. workerd runs SQLite on its own thread of work, so
 * every commit's fsync stops the gateway for as long as the disk takes (4 ms
 * per synced write on this machine's disk): a cost of the local setup, not of
 * the gateway, whose D1 commits happen on D1's servers in production. In
 * memory (tmpfs) a commit costs microseconds; `onDisk` keeps the disk.
 */
function stateRoot(onDisk: boolean): string {
  return !onDisk && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

/** A fresh local D1: migrations applied, the demo account seeded, topped up for the bench. */
export async function prepareState(onDisk = false): Promise<GatewayState> {
  const dir = mkdtempSync(join(stateRoot(onDisk), "switchyard-bench-"));
  const persist = ["--persist-to", dir];
  await run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", ...persist], { cwd: ROOT, env: quietEnv });
  const { stdout: seed } = await run("node", ["scripts/seed.mjs"], { cwd: ROOT });
  const topUp = `
INSERT OR IGNORE INTO ledger_entries (account_id, workspace_id, kind, amount_nanos, idempotency_key, description)
  VALUES ('acct_demo', 'ws_demo', 'adjustment', ${BENCH_CREDIT_NANOS}, 'bench:credits', 'Benchmark credits');
UPDATE account_balances SET balance_nanos = (SELECT SUM(amount_nanos) FROM ledger_entries WHERE account_id = 'acct_demo')
  WHERE account_id = 'acct_demo';
`;
  writeFileSync(join(dir, "seed.sql"), seed + topUp);
  await run(bin("wrangler"), ["d1", "execute", "DB", "--local", ...persist, "--file", join(dir, "seed.sql")], { cwd: ROOT, env: quietEnv });
  const { stdout: apiKey } = await run("node", ["scripts/demo-key.mjs"], { cwd: ROOT });
  return { dir, apiKey, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * How workerd serves the gateway:
 * - direct: the built bundle, a workerd socket bound straight to the worker (Miniflare's
 *   unsafeDirectSockets), as a self-hosted workerd config serves it; local D1 in a workerd
 *   process of its own, reached over loopback, as D1 runs on servers of its own in production;
 * - direct-d1-same: the same, with local D1 where Miniflare puts it by default: in the
 *   gateway's workerd, on the gateway's thread;
 * - miniflare-entry: the built bundle behind Miniflare's entry worker (what `mf.ready` serves);
 * - wrangler-dev: `wrangler dev` on the sources (its proxy worker and dev middleware included).
 */
export type ServeMode = "direct" | "direct-d1-same" | "miniflare-entry" | "wrangler-dev";

export const SERVE_LABEL: Record<ServeMode, string> = {
  direct: "switchyard",
  "direct-d1-same": "switchyard (D1 on its thread)",
  "miniflare-entry": "switchyard (Miniflare entry)",
  "wrangler-dev": "switchyard (wrangler dev)",
};

export async function startGateway(
  mode: ServeMode,
  opts: { script: string; state: GatewayState; vars: Record<string, string>; inspectorPort?: number },
): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ready = () => answers(`${url}/health`);
  if (mode !== "wrangler-dev") {
    const args = [
      join(ROOT, "bench/servers/switchyard-miniflare.ts"),
      ...["--config", join(ROOT, "wrangler.toml"), "--script", opts.script, "--persist", opts.state.dir],
      ...["--port", String(port), "--vars", JSON.stringify(opts.vars), "--socket", mode === "miniflare-entry" ? "entry" : "direct"],
      ...(opts.inspectorPort ? ["--inspector-port", String(opts.inspectorPort)] : []),
      ...(mode === "direct" ? ["--d1", "own"] : []),
    ];
    return { server: await startServer(SERVE_LABEL[mode], bin("tsx"), args, { cwd: ROOT, env: quietEnv }, ready), url };
  }
  mkdirSync(join(ROOT, ".wrangler"), { recursive: true });
  const args = [
    ...["dev", "--ip", "127.0.0.1", "--port", String(port), "--log-level", "warn", "--show-interactive-dev-session=false"],
    ...["--persist-to", opts.state.dir],
    ...Object.entries(opts.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  return { server: await startServer(SERVE_LABEL[mode], bin("wrangler"), args, { cwd: ROOT, env: quietEnv }, ready), url };
}
