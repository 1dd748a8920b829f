/**
 * `npm run deploy:check -- --env staging|production [--secrets-from FILE] [--no-secrets | --secrets-only]`
 *
 * Everything that can be known before a deploy: each worker's bundle as it would be
 * uploaded (size against the budget, top-level evaluation time in workerd), its config
 * for that environment (routes, bindings, Durable Object classes and migrations, no
 * local addresses), and which secrets each worker still lacks. Secrets are listed by
 * name through `wrangler secret list` (or read from FILE: {"gateway": ["NAME", …], …}); a
 * value is never read. Exits 1 on any problem.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE_BUDGET_GZIP_BYTES, buildBundle, STARTUP_BUDGET_MS, STARTUP_TARGET_MS, startupMs } from "./bundles.ts";
import { configProblems, crossEnvironmentProblems, missingBindings, readConfig } from "./config-checks.ts";
import { checkSecrets, formatSecrets, secretsOk } from "./preflight.ts";
import { type DeployTarget, ENVIRONMENTS, type Environment, parseEnvironment, TARGETS } from "./targets.ts";
import { root, wranglerOutput } from "./wrangler.ts";

export async function checkBundlesAndConfigs(env: Environment, log: (line: string) => void = console.log): Promise<string[]> {
  const problems: string[] = [];
  const outRoot = mkdtempSync(join(tmpdir(), `switchyard-${env}-`));
  for (const target of TARGETS) {
    const configPath = join(root, target.config);
    const config = readConfig(configPath, env);
    const bundle = await buildBundle(configPath, env, join(outRoot, target.id));
    const ms = await startupMs(bundle, config.compatibility_date ?? "2026-04-01", config.compatibility_flags ?? []);
    log(`  ${target.id.padEnd(9)} ${(bundle.bytes / 1024).toFixed(0).padStart(6)} KiB, ${(bundle.gzipBytes / 1024).toFixed(0).padStart(4)} KiB gzipped (budget ${BUNDLE_BUDGET_GZIP_BYTES / 1024}), top-level evaluation ${ms.toFixed(1)} ms (budget ${STARTUP_BUDGET_MS}, aim ${STARTUP_TARGET_MS}${ms > STARTUP_TARGET_MS ? ": over the aim" : ""})`);
    if (bundle.gzipBytes > BUNDLE_BUDGET_GZIP_BYTES) problems.push(`${target.id} [${env}]: bundle is ${bundle.gzipBytes} bytes gzipped, over the ${BUNDLE_BUDGET_GZIP_BYTES} budget`);
    if (ms > STARTUP_BUDGET_MS) problems.push(`${target.id} [${env}]: top-level evaluation takes ${ms.toFixed(1)} ms, over ${STARTUP_BUDGET_MS} ms`);
    problems.push(...configProblems(env, config, bundle.source), ...missingBindings(env, readConfig(configPath, undefined), config));
  }
  return problems;
}

export function checkEnvironmentsApart(): string[] {
  return crossEnvironmentProblems(ENVIRONMENTS.flatMap((env) => TARGETS.map((t) => ({ env, config: readConfig(join(root, t.config), env) }))));
}

async function secretNames(target: DeployTarget, env: Environment, file: string | undefined): Promise<Set<string>> {
  if (file) return new Set((JSON.parse(readFileSync(file, "utf8")) as Record<string, string[]>)[target.id] ?? []);
  const listed = JSON.parse(await wranglerOutput(["secret", "list", "--format", "json", "--env", env, "-c", join(root, target.config)])) as { name: string }[];
  return new Set(listed.map((s) => s.name));
}

async function main(args: string[]): Promise<number> {
  const env = parseEnvironment(args);
  const fileIndex = args.indexOf("--secrets-from");
  const file = fileIndex >= 0 ? args[fileIndex + 1] : undefined;
  let failed = false;

  if (!args.includes("--no-secrets")) {
    console.log(`Secrets for ${env}:`);
    const present = new Map<DeployTarget["id"], Set<string>>();
    for (const target of TARGETS) present.set(target.id, await secretNames(target, env, file));
    const reports = checkSecrets(TARGETS, (t) => present.get(t.id)!);
    for (const line of formatSecrets(reports)) console.log(line);
    failed ||= !secretsOk(reports);
  }

  if (!args.includes("--secrets-only")) {
    console.log(`Bundles and configs for ${env}:`);
    const problems = [...(await checkBundlesAndConfigs(env)), ...checkEnvironmentsApart()];
    for (const problem of problems) console.log(`  PROBLEM  ${problem}`);
    failed ||= problems.length > 0;
  }

  console.log(failed ? `Not ready to deploy ${env}.` : `Ready to deploy ${env}.`);
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
