import { describe, expect, it } from "vitest";
import { type EndpointSignals, planRoute, seededRandom } from "../src/index.ts";

// mock/echo from the real catalog: "mock" is typed 50 ms / 100 tok/s, "mock-eu" 80 ms / 80 tok/s, mock is cheaper.
const NOW = 1_750_000_000_000;
function order(model: string, provider: Record<string, unknown>, signals?: EndpointSignals) {
  return planRoute({
    request: { model, messages: [{ role: "user", content: "x" }], provider },
    workspace: { zdr: false, euOnly: false },
    now: NOW,
    random: seededRandom(1),
    ...(signals ? { signals } : {}),
  }).map((a) => a.endpoint.provider);
}

const slowMock: EndpointSignals = { measured: { "mock/echo": { latencyMs: 900, throughput: 10 } } };

describe("sorts use measured figures, the catalog's only where nothing was measured", () => {
  it("latency: typed figures first, then a measured slow endpoint loses", () => {
    expect(order("mock/echo", { sort: "latency" })).toEqual(["mock", "mock-eu"]);
    expect(order("mock/echo", { sort: "latency" }, slowMock)).toEqual(["mock-eu", "mock"]);
  });

  it("throughput and :nitro: a measured slow endpoint loses", () => {
    expect(order("mock/echo:nitro", {})).toEqual(["mock", "mock-eu"]);
    expect(order("mock/echo", { sort: "throughput" }, slowMock)).toEqual(["mock-eu", "mock"]);
    expect(order("mock/echo:nitro", {}, slowMock)).toEqual(["mock-eu", "mock"]);
  });

  it("an endpoint measured without throughput keeps its typed throughput", () => {
    expect(order("mock/echo", { sort: "throughput" }, { measured: { "mock/echo": { latencyMs: 900 } } })).toEqual(["mock", "mock-eu"]);
  });
});

describe("rate-limit headroom and load", () => {
  it("an endpoint close to its rate limit is tried after the others, whatever the sort", () => {
    const near: EndpointSignals = { nearLimit: new Set(["mock/echo"]) };
    for (const provider of [{ sort: "price" }, { sort: "latency" }, {}]) expect(order("mock/echo", provider, near)).toEqual(["mock-eu", "mock"]);
  });

  it("an explicit provider order is kept", () => {
    expect(order("mock/echo", { order: ["mock"] }, { nearLimit: new Set(["mock/echo"]) })).toEqual(["mock", "mock-eu"]);
  });

  it("least-busy prefers the fewest requests in flight, price on a tie", () => {
    expect(order("mock/echo", { sort: "least-busy" })).toEqual(["mock", "mock-eu"]);
    expect(order("mock/echo", { sort: "least-busy" }, { inFlight: new Map([["mock/echo", 3], ["mock-eu/echo", 1]]) })).toEqual(["mock-eu", "mock"]);
  });
});
