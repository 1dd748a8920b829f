import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { createFakeStripe } from "./tests/fake-stripe/handler.ts";

/**
 * Three kinds of test, one command:
 * - unit: the pure packages, in Node;
 * - workers (gateway, dashboard): inside workerd with real D1 and Durable Objects;
 * - e2e: `wrangler dev` + mock upstreams, driven by the unmodified `openai` client;
 * - browser: the dashboard in Debian's Chromium (playwright-core), against both workers.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  const fakeStripe = createFakeStripe("http://stripe.fake");
  return {
    test: {
      projects: [
        {
          test: {
            name: "unit",
            include: ["packages/**/test/**/*.test.ts"],
            environment: "node",
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: "gateway",
            include: ["workers/gateway/test/**/*.test.ts"],
            setupFiles: ["workers/gateway/test/setup/apply-migrations.ts"],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./workers/dashboard/wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  STRIPE_SECRET_KEY: "sk_test_dashboard",
                  STRIPE_WEBHOOK_SECRET: "whsec_dashboard_test",
                  STRIPE_API_BASE: "http://stripe.fake",
                  BYOK_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                },
                // The worker's only outbound calls go to Stripe: answered by the fake.
                outboundService: (request: Request) => fakeStripe.handle(request),
              },
            }),
          ],
          test: {
            name: "dashboard",
            include: ["workers/dashboard/test/**/*.test.ts"],
            setupFiles: ["workers/dashboard/test/setup/apply-migrations.ts"],
          },
        },
        {
          test: {
            name: "e2e",
            include: ["tests/e2e/**/*.test.ts"],
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
