import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { checkBundlesAndConfigs, checkEnvironmentsApart } from "../../scripts/deploy/check.ts";
import { configProblems, missingBindings, readConfig } from "../../scripts/deploy/config-checks.ts";
import { ENVIRONMENTS } from "../../scripts/deploy/targets.ts";

const root = resolve(import.meta.dirname, "../..");
/** A wrangler.toml of the test's own, in a folder of its own; returns its path. */
function writeConfig(toml: string): string {
  const config = join(mkdtempSync(join(tmpdir(), "switchyard-config-")), "wrangler.toml");
  writeFileSync(config, toml);
  return config;
}

/** Six dry-run bundles and their workerd start-ups on a loaded machine: minutes of headroom. */
const BUNDLES_TIMEOUT_MS = 300_000;

describe("deploy: what CI can check without Cloudflare", () => {
  for (const env of ENVIRONMENTS) {
    it(
      `every worker bundles for ${env} within its size and start-up budgets, and its config is whole`,
      async () => {
        const lines: string[] = [];
        const problems = await checkBundlesAndConfigs(env, (line) => lines.push(line));
        console.log(`${env}:\n${lines.join("\n")}`); // the sizes and start-up times, in the CI log
        expect(lines).toHaveLength(3);
        expect(problems).toEqual([]);
      },
      BUNDLES_TIMEOUT_MS,
    );
  }

  it("staging and production share no database", () => {
    expect(checkEnvironmentsApart()).toEqual([]);
  });

  it("a broken config is refused, each problem named", () => {
    const config = writeConfig(
      `name = "broken"
main = "index.js"
compatibility_date = "2026-04-01"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Kept"]
[[migrations]]
tag = "v1"
[env.staging]
name = "broken"
vars = { GATEWAY_URL = "http://127.0.0.1:8787" }
d1_databases = [{ binding = "DB", database_name = "switchyard-staging", database_id = "x" }]
durable_objects.bindings = [{ name = "A", class_name = "Kept" }, { name = "B", class_name = "Unmigrated" }]
triggers = { crons = ["17 * *"] }
`,
    );
    const problems = configProblems("staging", readConfig(config, "staging"), "export { Unmigrated };");
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("name should end in -staging"),
        expect.stringContaining("no route"),
        expect.stringContaining("GATEWAY_URL points at a local address"),
        expect.stringContaining("tag v1 appears twice"),
        expect.stringContaining("Kept (binding A) is not exported"),
        expect.stringContaining("Unmigrated has no migration"),
        expect.stringContaining('cron "17 * *"'),
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it("a binding the top level has and an environment forgot is named", () => {
    const config = writeConfig(
      `name = "w"
main = "index.js"
compatibility_date = "2026-04-01"
r2_buckets = [{ binding = "ARCHIVE", bucket_name = "archive" }]
d1_databases = [{ binding = "DB", database_name = "local", database_id = "x" }]
[env.production]
d1_databases = [{ binding = "DB", database_name = "prod", database_id = "x" }]
`,
    );
    expect(missingBindings("production", readConfig(config, undefined), readConfig(config, "production"))).toEqual(["w-production [production]: binding ARCHIVE is in the top level but not in [env.production]"]);
  });

  it("the preflight names each missing secret, exits 1, and prints no value", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-secrets-"));
    const file = join(dir, "secrets.json");
    // names only, as `wrangler secret list` gives them: the billing worker lacks its webhook secret
    writeFileSync(file, JSON.stringify({ gateway: ["BYOK_MASTER_KEY", "OPENAI_API_KEY"], billing: ["STRIPE_SECRET_KEY"], dashboard: ["STRIPE_SECRET_KEY", "BYOK_MASTER_KEY"] }));
    const preflight = () => promisify(execFile)(join(root, "node_modules/.bin/tsx"), ["scripts/deploy/check.ts", "--env", "production", "--secrets-from", file, "--secrets-only"], { cwd: root });
    const failure = await preflight().then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain("MISSING  billing: STRIPE_WEBHOOK_SECRET");
    expect(failure?.stdout).toContain("ok       gateway");
    expect(failure?.stdout).toContain("not set, so those providers are skipped: ANTHROPIC_API_KEY");
    expect(failure?.stdout).toContain("Not ready to deploy production.");

    writeFileSync(file, JSON.stringify({ gateway: ["BYOK_MASTER_KEY", "OPENAI_API_KEY"], billing: ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"], dashboard: ["STRIPE_SECRET_KEY", "BYOK_MASTER_KEY"] }));
    const ok = await preflight();
    expect(ok.stdout).toContain("Ready to deploy production.");
  });
});
