/**
 * Serves the built gateway (the bundle `wrangler deploy` uploads) with workerd
 * through Miniflare's API: no dev-server proxy, no live reload, no injected
 * dev middleware. Bindings, compatibility date and flags come from
 * wrangler.toml exactly as wrangler reads them; D1 is the local database that
 * wrangler migrated and seeded (`--persist` is wrangler's --persist-to).
 *
 *   tsx bench/servers/switchyard-miniflare.ts --config wrangler.toml --script dir/index.js \
 *     --persist state --port 8788 --vars '{"PROVIDER_BASE_URLS":"…"}' [--socket direct|entry] [--inspector-port 9229]
 */
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Log, LogLevel, Miniflare, type WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const { values } = parseArgs({
  options: {
    config: { type: "string", default: "wrangler.toml" },
    script: { type: "string" },
    persist: { type: "string" },
    port: { type: "string", default: "0" },
    vars: { type: "string", default: "{}" },
    "inspector-port": { type: "string" },
    /** direct: a workerd socket bound to the worker itself, as a self-hosted workerd serves it; entry: through Miniflare's entry worker. */
    socket: { type: "string", default: "direct" },
  },
});
if (!values.script || !values.persist) {
  console.error("--script and --persist are required");
  process.exit(2);
}

const direct = values.socket === "direct";
const { workerOptions } = unstable_getMiniflareWorkerOptions(values.config);
const scriptPath = resolve(values.script);
const persist = resolve(values.persist, "v3"); // where `wrangler --persist-to` keeps its state
const worker = {
  ...workerOptions,
  scriptPath,
  modules: true,
  modulesRoot: dirname(scriptPath),
  bindings: { ...workerOptions.bindings, ...(JSON.parse(values.vars) as Record<string, string>) },
  ...(direct ? { unsafeDirectSockets: [{ host: "127.0.0.1", port: Number(values.port) }] } : {}),
} as WorkerOptions;

const mf = new Miniflare({
  ...worker,
  host: "127.0.0.1",
  port: direct ? 0 : Number(values.port),
  d1Persist: join(persist, "d1"),
  durableObjectsPersist: join(persist, "do"),
  kvPersist: join(persist, "kv"),
  cf: false, // no network here: Miniflare's placeholder request.cf
  // Miniflare otherwise sends every outbound fetch through a worker of its own that strips
  // CF-Connecting-IP (an extra isolate hop per upstream call, and for a stream per chunk);
  // neither Cloudflare nor a self-hosted workerd has that hop.
  stripCfConnectingIp: false,
  log: new Log(LogLevel.WARN),
  ...(values["inspector-port"] ? { inspectorPort: Number(values["inspector-port"]) } : {}),
});
const entry = await mf.ready;
console.log(`switchyard (miniflare) on ${String(direct ? await mf.unsafeGetDirectURL() : entry)}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void mf.dispose().finally(() => process.exit(0));
  });
}
