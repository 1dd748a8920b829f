import { unstable_readConfig } from "wrangler";
import type { Environment } from "./targets.ts";

export type WorkerConfig = ReturnType<typeof unstable_readConfig>;

/** The config as wrangler resolves it for `env` (undefined: the top level, local development). */
export function readConfig(config: string, env: Environment | undefined): WorkerConfig {
  return unstable_readConfig({ config, env }, {});
}

/**
 * What can be checked of a deployed environment's config without Cloudflare:
 * returns each problem found, in words; none = fine.
 */
export function configProblems(env: Environment, config: WorkerConfig, bundleSource: string): string[] {
  const problems: string[] = [];
  const where = `${config.name ?? "(no name)"} [${env}]`;

  if (env !== "production" && !config.name?.endsWith(`-${env}`)) problems.push(`${where}: the ${env} worker's name should end in -${env}, so it never replaces production`);
  if (!config.routes?.length && !config.route) problems.push(`${where}: no route or custom domain`);

  const local = /\b(127\.0\.0\.1|localhost|0\.0\.0\.0)\b/;
  for (const [name, value] of Object.entries(config.vars ?? {})) {
    if (typeof value === "string" && local.test(value)) problems.push(`${where}: var ${name} points at a local address (${value})`);
  }
  for (const route of config.routes ?? []) {
    const pattern = typeof route === "string" ? route : route.pattern;
    if (local.test(pattern)) problems.push(`${where}: route ${pattern} is a local address`);
  }

  const db = config.d1_databases.find((d: { binding: string }) => d.binding === "DB");
  if (!db?.database_name) problems.push(`${where}: no D1 binding DB with a database_name`);

  // Every Durable Object class bound here must be exported by the bundle and created by a migration.
  const exported = exportedNames(bundleSource);
  const created = new Set<string>();
  const tags = new Set<string>();
  for (const migration of config.migrations) {
    if (tags.has(migration.tag)) problems.push(`${where}: migration tag ${migration.tag} appears twice`);
    tags.add(migration.tag);
    for (const cls of [...(migration.new_classes ?? []), ...(migration.new_sqlite_classes ?? [])]) {
      if (created.has(cls)) problems.push(`${where}: migration ${migration.tag} creates ${cls} again`);
      created.add(cls);
    }
    for (const { from, to } of migration.renamed_classes ?? []) {
      created.delete(from);
      created.add(to);
    }
    for (const cls of migration.deleted_classes ?? []) created.delete(cls);
  }
  for (const binding of config.durable_objects.bindings) {
    if (binding.script_name) continue; // another worker's class
    if (!exported.has(binding.class_name)) problems.push(`${where}: Durable Object class ${binding.class_name} (binding ${binding.name}) is not exported by the bundle`);
    if (!created.has(binding.class_name)) problems.push(`${where}: Durable Object class ${binding.class_name} has no migration creating it`);
  }

  for (const cron of config.triggers?.crons ?? []) {
    if (cron.trim().split(/\s+/).length !== 5) problems.push(`${where}: cron "${cron}" does not have 5 fields`);
  }
  return problems;
}

/** The names a bundle exports (esbuild ends an ES module bundle with one `export { a, b as c }`). */
export function exportedNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of match[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/** Binding names of every kind an environment must repeat (they are not inherited from the top level). */
export function bindingNames(config: WorkerConfig): Set<string> {
  const kinds = [config.d1_databases, config.durable_objects.bindings, config.r2_buckets, config.kv_namespaces, config.services ?? [], config.queues.producers ?? [], config.analytics_engine_datasets];
  return new Set(kinds.flatMap((list: { binding?: string; name?: string }[]) => list.map((b) => b.binding ?? b.name ?? "")));
}

/** A binding or var the local (top-level) config has and the environment forgot: the deployed worker would find it undefined. */
export function missingBindings(env: Environment, local: WorkerConfig, deployed: WorkerConfig): string[] {
  const have = bindingNames(deployed);
  const bindings = [...bindingNames(local)].filter((name) => !have.has(name)).map((name) => `${deployed.name} [${env}]: binding ${name} is in the top level but not in [env.${env}]`);
  const vars = Object.keys(local.vars ?? {}).filter((name) => !(name in (deployed.vars ?? {}))).map((name) => `${deployed.name} [${env}]: var ${name} is in the top level but not in [env.${env}]`);
  return [...bindings, ...vars];
}

/** Across environments: staging and production never share a database. */
export function crossEnvironmentProblems(configs: { env: Environment; config: WorkerConfig }[]): string[] {
  const problems: string[] = [];
  const byName = new Map<string, Set<string>>();
  for (const { env, config } of configs) {
    for (const db of config.d1_databases) {
      const envs = byName.get(db.database_name ?? "") ?? new Set();
      envs.add(env);
      byName.set(db.database_name ?? "", envs);
    }
  }
  for (const [name, envs] of byName) if (envs.size > 1) problems.push(`D1 database ${name} is shared by ${[...envs].join(" and ")}`);
  return problems;
}
