// Bundles the gateway worker to one ES module (esbuild, through wrangler, whose dependency it is):
// for workers that run it beside themselves in tests (the dashboard's vitest project) and for
// billing:reconcile, which opens the gateway's Durable Objects' local storage with Miniflare.
import { createRequire } from "node:module";

export const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));

export async function bundleGateway(outfile = ".wrangler/test-gateway/index.js"): Promise<string> {
  const esbuild = fromWrangler("esbuild") as { build(options: Record<string, unknown>): Promise<unknown> };
  await esbuild.build({
    entryPoints: ["workers/gateway/src/index.ts"], bundle: true, format: "esm", platform: "neutral", target: "es2022", outfile,
    conditions: ["workerd", "worker", "browser"], mainFields: ["module", "main"], external: ["cloudflare:*", "node:*"], logLevel: "error",
  });
  return outfile;
}
