import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * Three kinds of test, one command:
 * - unit: the pure packages, in Node;
 * - workers: the workers inside workerd with real D1 and Durable Objects;
 * - e2e: `wrangler dev` + mock upstreams, driven by the unmodified `openai` client.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
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
          test: {
            name: "e2e",
            include: ["tests/e2e/**/*.test.ts"],
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
