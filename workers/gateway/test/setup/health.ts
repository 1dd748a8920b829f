import { env, runInDurableObject } from "cloudflare:test";
import type { EndpointHealth, ProviderHealth } from "../../src/health/provider-health.ts";
import { resetHealthCache } from "../../src/health/snapshot-cache.ts";

export function healthStub() {
  return env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName("global"));
}

/** Forgets every recorded failure, in the shared object and in this isolate's copy. */
export async function clearHealth(): Promise<void> {
  await inHealthObject((instance, state) => {
    state.storage.sql.exec("DELETE FROM failures");
    instance.now = () => Date.now();
  });
  resetHealthCache();
}

/** Runs inside the health object (its Env type differs from the test Env, hence the cast). */
export function inHealthObject<R>(fn: (instance: ProviderHealth, state: DurableObjectState) => R | Promise<R>): Promise<R> {
  return runInDurableObject(healthStub(), (instance, state) => fn(instance as unknown as ProviderHealth, state));
}

export async function healthDetails(): Promise<EndpointHealth[]> {
  return healthStub().details();
}
