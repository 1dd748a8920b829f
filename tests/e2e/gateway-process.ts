import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

/**
 * Runs the real gateway under `wrangler dev` (workerd) with its own local D1,
 * migrated and seeded exactly as the README's quick start does — and, for the
 * browser tests, the dashboard worker on the same local D1.
 */
const root = resolve(import.meta.dirname, "../..");
const wrangler = join(root, "node_modules/.bin/wrangler");
const run = promisify(execFile);
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", NO_UPDATE_NOTIFIER: "1" };

export interface RunningGateway extends RunningWorker {
  url: string;
  apiKey: string;
  /** The demo workspace's management key (provisioning API). */
  managementKey: string;
  stateDir: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
    server.on("error", fail);
  });
}

/** Runs SQL against the gateway's local D1 (also while it runs); returns the rows of the last statement. */
export async function queryD1<T = Record<string, unknown>>(stateDir: string, sql: string): Promise<T[]> {
  const { stdout } = await run(wrangler, ["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--json", "--command", sql], { cwd: root, env: quietEnv });
  const results = JSON.parse(stdout) as Array<{ results: T[] }>;
  return results.at(-1)?.results ?? [];
}

/**
 * The output of every worker started under `wrangler dev` in this test file: the
 * e2e setup checks after each file that none of it holds a secret.
 */
export const wranglerOutputs: Array<() => string> = [];

/**
 * `extraSeedSql` runs after the demo seed, before the gateway starts (more tenants, workspace settings).
 * Logs at wrangler's "log" level by default, so the worker's every console line is in `output()`.
 */
export async function startGateway(vars: Record<string, string> = {}, extraSeedSql = "", logLevel: LogLevel = "log"): Promise<RunningGateway> {
  const stateDir = mkdtempSync(join(tmpdir(), "switchyard-e2e-"));
  const persist = ["--persist-to", stateDir];
  await run(wrangler, ["d1", "migrations", "apply", "DB", "--local", ...persist], { cwd: root, env: quietEnv });
  const { stdout: seedSql } = await run("node", ["scripts/seed.mjs"], { cwd: root });
  writeFileSync(join(stateDir, "seed.sql"), seedSql + extraSeedSql);
  await run(wrangler, ["d1", "execute", "DB", "--local", ...persist, "--file", join(stateDir, "seed.sql")], { cwd: root, env: quietEnv });
  const { stdout: apiKey } = await run("node", ["scripts/demo-key.mjs"], { cwd: root });
  const { stdout: managementKey } = await run("node", ["scripts/demo-key.mjs", "management"], { cwd: root });

  const dev = await startWranglerDev([...persist, ...varArgs(vars)], logLevel);
  return {
    ...dev,
    apiKey,
    managementKey,
    stateDir,
    async stop() {
      await dev.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

type LogLevel = "log" | "warn";

export interface RunningWorker {
  url: string;
  /** The wrangler process; the workerd it starts runs in its process group. */
  pid: number;
  /** wrangler's devtools inspector for the worker (Chrome DevTools Protocol): http://127.0.0.1:<port>/json lists it. */
  inspectorPort: number;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Another worker (dashboard, billing) under `wrangler dev`, on the gateway's local
 * state directory: the processes open the same local D1, as in local development
 * (scripts/dashboard.sh). Stop it before the gateway (whose stop() removes the directory).
 */
export function startWorkerBesideGateway(worker: "dashboard" | "billing", stateDir: string, vars: Record<string, string> = {}): Promise<RunningWorker> {
  return startWranglerDev(["-c", `workers/${worker}/wrangler.toml`, "--persist-to", stateDir, ...varArgs(vars)]);
}

const varArgs = (vars: Record<string, string>) => Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);

async function startWranglerDev(args: string[], logLevel: LogLevel = "log"): Promise<RunningWorker> {
  // An explicit inspector port too: two wrangler dev processes starting at once race for the default 9229.
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    wrangler,
    ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--log-level", logLevel, "--show-interactive-dev-session=false", ...args],
    { cwd: root, env: quietEnv, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  // Each stream in its own buffer: appended into one as chunks arrive, a stderr write could land
  // inside a stdout line and split it, hiding it from a count or a secret scan (wrangler writes its
  // 4xx/5xx request lines to stderr; the likely reason a CI soak counted 885 request lines for 894).
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const output = () => `${stdout}\n${stderr}`;
  wranglerOutputs.push(output);
  const url = `http://127.0.0.1:${port}`;
  // The whole process group: wrangler and the workerd it started (which can outlive a failed wrangler).
  const stop = async () => {
    const exited = child.exitCode === null ? new Promise((ok) => child.once("exit", ok)) : Promise.resolve();
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // the group is already gone
    }
    await exited;
  };
  try {
    await waitForHealth(url, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid!, inspectorPort, output, stop };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`wrangler dev did not become healthy:\n${output()}`);
}
