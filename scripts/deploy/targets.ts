import { providers } from "../../packages/catalog/src/index.ts";

/** The deployed environments. Local development is the top level of each wrangler.toml. */
export const ENVIRONMENTS = ["staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** One worker of the system, in deploy order (the gateway first: it defines the Durable Object classes). */
export interface DeployTarget {
  id: "gateway" | "billing" | "dashboard";
  /** wrangler config, relative to the repository root. */
  config: string;
  /** Secrets the worker cannot run without. */
  requiredSecrets: string[];
  /** Secrets of which at least one must be set (the gateway needs some provider to route to). */
  anyOfSecrets: string[];
}

/** Hosted provider keys: a provider without one is skipped by routing. The mock needs none. */
const PROVIDER_KEYS = [...new Set(Object.values(providers).flatMap((p) => (p.apiKeyEnv ? [p.apiKeyEnv] : [])))];

export const TARGETS: DeployTarget[] = [
  { id: "gateway", config: "wrangler.toml", requiredSecrets: ["BYOK_MASTER_KEY"], anyOfSecrets: PROVIDER_KEYS },
  { id: "billing", config: "workers/billing/wrangler.toml", requiredSecrets: ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"], anyOfSecrets: [] },
  { id: "dashboard", config: "workers/dashboard/wrangler.toml", requiredSecrets: ["STRIPE_SECRET_KEY", "BYOK_MASTER_KEY"], anyOfSecrets: [] },
];

export function parseEnvironment(args: string[]): Environment {
  const i = args.findIndex((a) => a === "--env" || a === "-e");
  const value = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith("--env="))?.slice("--env=".length);
  if (!value || !(ENVIRONMENTS as readonly string[]).includes(value)) {
    throw new Error(`say which environment: --env ${ENVIRONMENTS.join("|")}`);
  }
  return value as Environment;
}
