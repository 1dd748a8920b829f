import { handleMockUpstream, type MockScriptStep } from "@switchyard/mock-upstream";
import { vi } from "vitest";

/**
 * Several mock providers inside the test isolate, one per provider slug, each
 * with its own script of failures. PROVIDER_BASE_URLS points each slug at
 * http://<slug>.upstream.test/v1; the isolate's fetch sends those hosts to the
 * mock upstream (OpenAI's real wire format, errors and stream cuts included)
 * and everything else on as usual.
 */
export interface ScriptedUpstreams {
  /** Gateway env overrides: PROVIDER_BASE_URLS (and any extra vars given). */
  env: Partial<Cloudflare.Env>;
  /** Provider slug of every chat request, in arrival order. */
  log: string[];
  /** Upstream model of every chat request, in arrival order. */
  models: string[];
  /** Slugs whose request was aborted by the gateway before the mock finished answering. */
  aborted: string[];
  /** Replaces a provider's remaining script. */
  script(slug: string, steps: MockScriptStep[]): void;
  restore(): void;
}

const HOST_SUFFIX = ".upstream.test";
/** A script step of this helper (not of the mock): the connection fails, no HTTP answer at all. */
export const REFUSE = "refuse-connection";

export function scriptedUpstreams(scripts: Record<string, MockScriptStep[]>, extraEnv: Partial<Cloudflare.Env> = {}): ScriptedUpstreams {
  const queues = new Map(Object.entries(scripts).map(([slug, steps]) => [slug, [...steps]]));
  const log: string[] = [];
  const models: string[] = [];
  const aborted: string[] = [];
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const host = new URL(request.url).host;
    if (!host.endsWith(HOST_SUFFIX)) return realFetch(input, init);
    const slug = host.slice(0, -HOST_SUFFIX.length);
    const queue = queues.get(slug) ?? [];
    if (queue[0] === REFUSE) {
      queue.shift();
      log.push(slug);
      throw new TypeError("Network connection lost."); // what fetch throws when a provider cannot be reached
    }
    const body = (await request.clone().json()) as { model?: string };
    log.push(slug);
    models.push(body.model ?? "");
    request.signal.addEventListener("abort", () => void aborted.push(slug), { once: true });
    return handleMockUpstream(request, { script: queue });
  });
  const urls = Object.fromEntries([...queues.keys()].map((slug) => [slug, `http://${slug}${HOST_SUFFIX}/v1`]));
  return {
    env: { PROVIDER_BASE_URLS: JSON.stringify(urls), ...extraEnv },
    log,
    models,
    aborted,
    script(slug, steps) {
      queues.set(slug, [...steps]);
    },
    restore() {
      spy.mockRestore();
    },
  };
}
