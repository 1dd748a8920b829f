import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import type { Environment } from "./targets.ts";

const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

/** What the platform is sent: the bundle's size is checked against this, gzipped (Workers' paid-plan limit is 10 MiB; ours is a budget). */
export const BUNDLE_BUDGET_GZIP_BYTES = 1024 * 1024;
/**
 * Top-level evaluation of a bundle (compile + run), in workerd. The platform refuses a
 * script whose start takes longer than its startup limit (1 s today; 400 ms until 2025):
 * the budget keeps well inside the older one. The aim is 50 ms (STARTUP_TARGET_MS), met
 * on an idle machine (docs/deploy.md) but not something a loaded CI machine can time
 * reliably, so only a warning.
 */
export const STARTUP_BUDGET_MS = 400;
export const STARTUP_TARGET_MS = 50;

export interface Bundle {
  path: string;
  bytes: number;
  gzipBytes: number;
  source: string;
}

/** `wrangler deploy --dry-run`: bundles the worker exactly as a deploy would, uploads nothing. */
export async function buildBundle(config: string, env: Environment, outdir: string): Promise<Bundle> {
  const wrangler = join(root, "node_modules/.bin/wrangler");
  await run(wrangler, ["deploy", "--dry-run", "--outdir", outdir, "--env", env, "-c", config], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", CI: "true" },
    maxBuffer: 16 * 1024 * 1024,
  });
  const path = join(outdir, "index.js");
  const bytes = readFileSync(path);
  return { path, bytes: bytes.byteLength, gzipBytes: gzipSync(bytes).byteLength, source: bytes.toString("utf8") };
}

/**
 * How long workerd takes to compile and evaluate the bundle's top level: a wrapper
 * worker imports it on its first request and times that import (workerd's clock
 * runs during local execution). The least of up to `tries` fresh runtimes, stopping
 * once one is within `budgetMs`: the machine's other load only ever adds time.
 */
export async function startupMs(bundle: Bundle, compatibilityDate: string, compatibilityFlags: string[], budgetMs = STARTUP_TARGET_MS, tries = 3): Promise<number> {
  // Environments differ in config only: the same bytes are timed once.
  const key = createHash("sha256").update(bundle.source).update(compatibilityDate).update(compatibilityFlags.join()).digest("hex");
  const known = timed.get(key);
  if (known !== undefined) return known;
  // miniflare is wrangler's own dependency: found from wrangler's folder, not a dependency of ours.
  const { Miniflare } = createRequire(createRequire(import.meta.url).resolve("wrangler"))("miniflare") as { Miniflare: MiniflareConstructor };
  const dir = join(bundle.path, "../startup");
  mkdirSync(dir, { recursive: true });
  copyFileSync(bundle.path, join(dir, "bundle.js"));
  writeFileSync(
    join(dir, "probe.js"),
    `export default { async fetch() { const t = performance.now(); await import("./bundle.js"); return new Response(String(performance.now() - t)); } };`,
  );
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < tries && best > budgetMs; i++) {
    const mf = new Miniflare({
      modules: [
        { type: "ESModule", path: join(dir, "probe.js") },
        { type: "ESModule", path: join(dir, "bundle.js") },
      ],
      modulesRoot: dir,
      compatibilityDate,
      compatibilityFlags,
    });
    try {
      const response = await mf.dispatchFetch("http://startup.probe/");
      best = Math.min(best, Number(await response.text()));
    } finally {
      await mf.dispose();
    }
  }
  timed.set(key, best);
  return best;
}
const timed = new Map<string, number>();

interface MiniflareConstructor {
  new (options: Record<string, unknown>): { dispatchFetch(url: string): Promise<{ text(): Promise<string> }>; dispose(): Promise<void> };
}
