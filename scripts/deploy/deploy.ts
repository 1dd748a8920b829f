/**
 * `npm run deploy -- --env staging|production`: the whole system to Cloudflare.
 *
 * 1. The checks of deploy:check (bundles, configs, secrets): nothing is changed if one fails.
 * 2. The environment's D1 database and R2 buckets, created when missing (by name, from the configs).
 * 3. Each wrangler.toml is copied beside itself with the database's id filled in
 *    (`wrangler.<env>.deploy.toml`, git-ignored), so the repo's configs keep placeholders.
 * 4. D1 migrations applied remotely, then the gateway (it defines the Durable Object
 *    classes and their migrations), the billing worker and the dashboard deployed.
 * Needs `wrangler login` (or CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { checkBundlesAndConfigs, checkEnvironmentsApart } from "./check.ts";
import { readConfig } from "./config-checks.ts";
import { checkSecrets, formatSecrets, secretsOk } from "./preflight.ts";
import { type Environment, parseEnvironment, TARGETS } from "./targets.ts";
import { root, wranglerOutput, wranglerShown } from "./wrangler.ts";

const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";

async function ensureDatabase(name: string): Promise<string> {
  const find = async () => (JSON.parse(await wranglerOutput(["d1", "list", "--json"])) as { name: string; uuid: string }[]).find((d) => d.name === name);
  let db = await find();
  if (!db) {
    await wranglerShown(["d1", "create", name]);
    db = await find();
  }
  if (!db) throw new Error(`D1 database ${name} was not created`);
  return db.uuid;
}

/** Creates each R2 bucket the configs bind, unless it exists (wrangler says so and changes nothing). */
async function ensureBuckets(names: string[]): Promise<void> {
  for (const name of names) {
    try {
      await wranglerOutput(["r2", "bucket", "create", name]);
      console.log(`created R2 bucket ${name}`);
    } catch (error) {
      const said = `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}`;
      if (!/already exists/i.test(said)) throw error;
    }
  }
}

/** The config with this environment's database id in place of the placeholder. */
function deployConfig(config: string, env: Environment, databaseName: string, databaseId: string): string {
  const text = readFileSync(join(root, config), "utf8");
  const filled = text
    .split("\n")
    .map((line) => (line.includes(`database_name = "${databaseName}"`) ? line.replace(PLACEHOLDER_ID, databaseId) : line))
    .join("\n");
  const out = join(dirname(join(root, config)), `wrangler.${env}.deploy.toml`);
  writeFileSync(out, filled);
  return out;
}

async function main(args: string[]): Promise<void> {
  const env = parseEnvironment(args);

  console.log(`Checking ${env}…`);
  const problems = [...(await checkBundlesAndConfigs(env)), ...checkEnvironmentsApart()];
  const present = new Map<string, Set<string>>();
  for (const target of TARGETS) {
    const listed = JSON.parse(await wranglerOutput(["secret", "list", "--format", "json", "--env", env, "-c", join(root, target.config)])) as { name: string }[];
    present.set(target.id, new Set(listed.map((s) => s.name)));
  }
  const secrets = checkSecrets(TARGETS, (t) => present.get(t.id)!);
  for (const line of formatSecrets(secrets)) console.log(line);
  for (const problem of problems) console.log(`  PROBLEM  ${problem}`);
  if (problems.length > 0 || !secretsOk(secrets)) throw new Error(`Not deploying ${env}: fix the above first (npm run deploy:check -- --env ${env}).`);

  const databaseName = readConfig(join(root, TARGETS[0]!.config), env).d1_databases[0]!.database_name!;
  const databaseId = await ensureDatabase(databaseName);
  await ensureBuckets([...new Set(TARGETS.flatMap((t) => readConfig(join(root, t.config), env).r2_buckets.map((b: { bucket_name?: string }) => b.bucket_name ?? "")))].filter(Boolean));
  const configs = TARGETS.map((t) => ({ target: t, path: deployConfig(t.config, env, databaseName, databaseId) }));

  await wranglerShown(["d1", "migrations", "apply", "DB", "--remote", "--env", env, "-c", configs[0]!.path]);
  for (const { path } of configs) await wranglerShown(["deploy", "--env", env, "-c", path]);
  console.log(`Deployed ${env}.`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
