import { describe, expect, it } from "vitest";
import { CACHE_WARM_MS, WarmCacheRoutes } from "../src/index.ts";

describe("sticky routing for warm prompt caches", () => {
  it("sends a prefix back to the provider that served it while its cache is warm, refreshed by each use", () => {
    const routes = new WarmCacheRoutes();
    expect(routes.providerFor("p", 0)).toBeUndefined();
    routes.served("p", "mock-eu", 0);
    expect(routes.providerFor("p", CACHE_WARM_MS - 1)).toBe("mock-eu");
    routes.served("p", "mock-eu", CACHE_WARM_MS - 1);
    expect(routes.providerFor("p", 2 * CACHE_WARM_MS - 2)).toBe("mock-eu");
    expect(routes.providerFor("p", 2 * CACHE_WARM_MS)).toBeUndefined();
  });

  it("the last provider that served wins (after a failover the cache is warm elsewhere)", () => {
    const routes = new WarmCacheRoutes();
    routes.served("p", "mock", 0);
    routes.served("p", "mock-eu", 1);
    expect(routes.providerFor("p", 2)).toBe("mock-eu");
    expect(routes.providerFor("other", 2)).toBeUndefined();
  });
});
