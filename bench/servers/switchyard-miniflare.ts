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
    /** same: local D1 in the gateway's workerd (Miniflare's default); own: in a workerd process of its own, over loopback HTTP. */
    d1: { type: "string", default: "same" },
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
  // Miniflare otherwise sends every outbound fetch through a worker of its own that strips
  // CF-Connecting-IP (an extra isolate hop per upstream call, and for a stream per chunk);
  // neither Cloudflare nor a self-hosted workerd has that hop.
  stripCfConnectingIp: false,
  ...(direct ? { unsafeDirectSockets: [{ host: "127.0.0.1", port: Number(values.port) }] } : {}),
} as WorkerOptions;

const shared = {
  host: "127.0.0.1",
  d1Persist: join(persist, "d1"),
  cf: false, // no network here: Miniflare's placeholder request.cf
  log: new Log(LogLevel.WARN),
};
const d1Server = values.d1 === "own" ? await startD1Server() : undefined;
const mf = new Miniflare({
  workers: [
    {
      ...worker,
      ...(d1Server ? { d1Databases: undefined, wrappedBindings: { DB: "d1-client" } } : {}),
    },
    ...(d1Server ? [d1Client(d1Server.address)] : []),
  ],
  ...shared,
  port: direct ? 0 : Number(values.port),
  durableObjectsPersist: join(persist, "do"),
  kvPersist: join(persist, "kv"),
  ...(values["inspector-port"] ? { inspectorPort: Number(values["inspector-port"]) } : {}),
});
const entry = await mf.ready;
console.log(`switchyard (miniflare) on ${String(direct ? await mf.unsafeGetDirectURL() : entry)}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void Promise.all([mf.dispose(), d1Server?.mf.dispose()]).finally(() => process.exit(0));
  });
}

/**
 * Local D1 in a workerd process of its own, as D1 runs on servers of its own in
 * production: a worker that passes D1's wire protocol (what workerd's D1
 * client sends) straight to Miniflare's D1 service.
 */
async function startD1Server(): Promise<{ mf: Miniflare; address: string }> {
  const d1 = new Miniflare({
    ...shared,
    name: "d1-server",
    modules: true,
    script: "export default { fetch: (request, env) => env.DB.fetcher.fetch(request) };",
    compatibilityDate: "2025-01-01",
    d1Databases: worker.d1Databases,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  });
  await d1.ready;
  return { mf: d1, address: (await d1.unsafeGetDirectURL()).host };
}

/** The gateway's DB binding: workerd's own D1 client, its requests sent over loopback to the D1 process. */
function d1Client(address: string): WorkerOptions {
  return {
    name: "d1-client",
    modules: [{ type: "ESModule", path: "d1-client.js", contents: 'export { default } from "cloudflare-internal:d1-api";' }],
    serviceBindings: { fetcher: { external: { address, http: {} } } },
  } as WorkerOptions;
}
