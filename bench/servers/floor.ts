/**
 * The floor: the least a gateway on workerd does — read the client's body, make one upstream
 * fetch, stream the answer back — served exactly as the `switchyard` target is (a workerd socket
 * bound straight to the worker, wrangler.toml's compatibility date and flags, no outbound
 * CF-Connecting-IP hop). What this costs over `direct` is the runtime's and this machine's share
 * of any workerd gateway's overhead; switchyard − floor is its own code's.
 *
 * `--loop js`: the answer goes back through a JavaScript read/write loop (each upstream read
 * written to an IdentityTransformStream, each write awaited) instead of workerd's native pipe.
 * That loop, with nothing done to the bytes, is the least a gateway that rewrites a stream's
 * events (ids, model, usage and cost) costs on workerd: every read and write enters JavaScript.
 *
 *   tsx bench/servers/floor.ts --config wrangler.toml --port 8789 --upstream http://127.0.0.1:9000/v1 [--loop native|js]
 */
import { parseArgs } from "node:util";
import { Log, LogLevel, Miniflare, type WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const { values } = parseArgs({
  options: {
    config: { type: "string", default: "wrangler.toml" },
    port: { type: "string", default: "0" },
    upstream: { type: "string" },
    loop: { type: "string", default: "native" },
  },
});
if (!values.upstream) {
  console.error("--upstream is required");
  process.exit(2);
}
if (values.loop !== "native" && values.loop !== "js") {
  console.error("--loop is native or js");
  process.exit(2);
}

const { workerOptions } = unstable_getMiniflareWorkerOptions(values.config);

// The upstream's key travels as the gateway's provider key would: set here, not by the client.
const script = `
export default {
  async fetch(request, env, ctx) {
    if (request.method !== "POST") return new Response("ok");
    const body = await request.text();
    const upstream = await fetch(env.UPSTREAM + "/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-bench-upstream" },
      body,
    });
    const init = { status: upstream.status, headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" } };
    if (env.LOOP !== "js") return new Response(upstream.body, init);
    const { readable, writable } = new IdentityTransformStream();
    const reader = upstream.body.getReader();
    const writer = writable.getWriter();
    ctx.waitUntil((async () => {
      for (let read = await reader.read(); !read.done; read = await reader.read()) await writer.write(read.value);
      await writer.close();
    })());
    return new Response(readable, init);
  },
};`;

const mf = new Miniflare({
  host: "127.0.0.1",
  cf: false,
  log: new Log(LogLevel.WARN),
  workers: [
    {
      name: "floor",
      modules: true,
      script,
      compatibilityDate: workerOptions.compatibilityDate,
      compatibilityFlags: workerOptions.compatibilityFlags,
      bindings: { UPSTREAM: values.upstream, LOOP: values.loop },
      stripCfConnectingIp: false,
      unsafeDirectSockets: [{ host: "127.0.0.1", port: Number(values.port) }],
    } as WorkerOptions,
  ],
});
await mf.ready;
console.log(`floor (miniflare, ${values.loop} loop) on ${String(await mf.unsafeGetDirectURL())}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void mf.dispose().finally(() => process.exit(0));
  });
}
