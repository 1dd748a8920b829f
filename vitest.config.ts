import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { bundleGateway } from "./scripts/lib/bundle-gateway.ts";
import { createFakeStripe } from "./tests/fake-stripe/handler.ts";
import { TEST_SECRET_KEY as TEST_STRIPE_SECRET_KEY } from "./workers/billing/test/setup/fake-stripe.ts";

/** Test-only secrets: a BYOK master key (32 zero-free bytes, base64) and a Stripe webhook secret. */
const TEST_BYOK_MASTER_KEY = "c3dpdGNoeWFyZC10ZXN0LWJ5b2stbWFzdGVyLWtleSE=";
const TEST_STRIPE_WEBHOOK_SECRET = "whsec_test_switchyard_webhook_secret";

/**
 * Tests inside workerd: a property test sends up to 120 requests, some with
 * megabytes of URL or body, and a single request may take up to 10 s before it
 * counts as a hang (HANG_MS). vitest's 5 s default failed such a test on a loaded
 * CI machine although every answer was right.
 */
const WORKERS_TEST_TIMEOUT_MS = 30_000;

/**
 * Four kinds of test, one command:
 * - unit: the pure packages, in Node;
 * - workers (gateway, billing, dashboard): inside workerd with real D1 and Durable Objects;
 * - e2e: `wrangler dev` + mock upstreams, driven by the unmodified `openai` client;
 * - browser: the dashboard in Debian's Chromium (playwright-core), against the real workers.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  // The dashboard reads per-request records from the gateway's AccountSpend objects (a Durable Object
  // binding with script_name): the bundled gateway runs beside it as an auxiliary worker.
  const gatewayBundle = await bundleGateway();
  const fakeStripe = createFakeStripe("http://stripe.fake");
  return {
    test: {
      projects: [
        {
          test: {
            name: "unit",
            include: ["packages/**/test/**/*.test.ts", "tests/docs/**/*.test.ts"],
            environment: "node",
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations, BYOK_MASTER_KEY: TEST_BYOK_MASTER_KEY } },
            }),
          ],
          test: {
            name: "gateway",
            testTimeout: WORKERS_TEST_TIMEOUT_MS,
            include: ["workers/gateway/test/**/*.test.ts"],
            setupFiles: ["workers/gateway/test/setup/apply-migrations.ts", "workers/gateway/test/setup/capture-logs.ts"],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./workers/billing/wrangler.toml" },
              miniflare: {
                // STRIPE_API_BASE comes from the fake Stripe API started in globalSetup (its port is only known then).
                bindings: { TEST_MIGRATIONS: migrations, STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_STRIPE_WEBHOOK_SECRET },
              },
            }),
          ],
          // The stripe package ships source maps without their sources: vite warns once per file.
          logLevel: "error" as const,
          test: {
            name: "billing",
            testTimeout: WORKERS_TEST_TIMEOUT_MS,
            include: ["workers/billing/test/**/*.test.ts"],
            setupFiles: ["workers/gateway/test/setup/apply-migrations.ts", "workers/gateway/test/setup/capture-logs.ts"],
            globalSetup: ["workers/billing/test/setup/fake-stripe.ts"],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./workers/dashboard/wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  STRIPE_SECRET_KEY: TEST_STRIPE_SECRET_KEY,
                  STRIPE_API_BASE: "http://stripe.fake",
                  BYOK_MASTER_KEY: TEST_BYOK_MASTER_KEY,
                },
                // The dashboard's only outbound calls go to Stripe: answered in-process by the fake.
                outboundService: (request: Request) => fakeStripe.handle(request),
                workers: [
                  {
                    name: "switchyard-gateway",
                    modules: true,
                    scriptPath: gatewayBundle,
                    compatibilityDate: "2026-04-01",
                    compatibilityFlags: ["nodejs_compat"],
                    durableObjects: { ACCOUNT_SPEND: { className: "AccountSpend", useSQLite: true } },
                    d1Databases: { DB: "00000000-0000-0000-0000-000000000000" },
                  },
                ],
              },
            }),
          ],
          logLevel: "error" as const,
          test: {
            name: "dashboard",
            testTimeout: WORKERS_TEST_TIMEOUT_MS,
            include: ["workers/dashboard/test/**/*.test.ts"],
            setupFiles: ["workers/dashboard/test/setup/apply-migrations.ts", "workers/gateway/test/setup/capture-logs.ts"],
          },
        },
        {
          test: {
            name: "e2e",
            include: ["tests/e2e/**/*.test.ts", "tests/deploy/**/*.test.ts"],
            setupFiles: ["tests/e2e/setup/no-secrets-in-logs.ts"],
            // the soak reads the worker's heap through the devtools protocol: Node 20 has WebSocket behind a flag
            execArgv: typeof WebSocket === "undefined" ? ["--experimental-websocket"] : [],
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
        {
          test: {
            name: "browser",
            include: ["tests/browser/**/*.test.ts"],
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
