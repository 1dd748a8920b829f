import { env, runInDurableObject } from "cloudflare:test";
import type { EndpointStats } from "../../src/health/endpoint-stats.ts";
import { resetStatsRecorder } from "../../src/health/stats-recorder.ts";
import { resetMeasuredCache } from "../../src/health/stats-snapshot.ts";

export function statsStub() {
  return env.ENDPOINT_STATS.get(env.ENDPOINT_STATS.idFromName("global"));
}

/** Runs inside the stats object (its Env type differs from the test Env, hence the cast). */
export function inStatsObject<R>(fn: (instance: EndpointStats, state: DurableObjectState) => R | Promise<R>): Promise<R> {
  return runInDurableObject(statsStub(), (instance, state) => fn(instance as unknown as EndpointStats, state));
}

/** Forgets every measured stat: in the shared object, this isolate's unsent minutes and its planning copy. */
export async function clearStats(): Promise<void> {
  await inStatsObject((instance, state) => {
    state.storage.sql.exec("DELETE FROM minutes");
    instance.now = () => Date.now();
    (instance as unknown as { summary: unknown }).summary = null;
  });
  resetStatsRecorder();
  resetMeasuredCache();
}
