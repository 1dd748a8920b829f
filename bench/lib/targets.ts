import { execFileSync } from "node:child_process";
import { basename, join } from "node:path";
import { buildWorker, type GatewayState, prepareState, SERVE_LABEL, type ServeMode, startGateway } from "./gateway.ts";
import { ROOT } from "./paths.ts";
import { answers, freePort, quietEnv, type Server, startServer } from "./procs.ts";

/** What the load generators send: one fixed request. */
export interface RequestSpec {
  method?: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Non-streamed answer; 20-chunk stream sent at once; the same stream with CHUNK_GAP_MS between chunks. */
export type Workload = "json" | "stream" | "paced";
export const CHUNKS = 20;
export const CHUNK_GAP_MS = 2;

const PROMPT = "Say hello to the benchmark, in a few words";
const DIRECTIVE: Record<Workload, string> = {
  json: "",
  stream: ` [mock:chunks=${CHUNKS}]`,
  paced: ` [mock:chunks=${CHUNKS},chunk_delay=${CHUNK_GAP_MS}]`,
};

/** The chat request body; streams ask for usage as the gateway itself does upstream, so every path gets the same bytes back. */
export function chatBody(model: string, workload: Workload): string {
  const messages = [{ role: "user", content: PROMPT + DIRECTIVE[workload] }];
  if (workload === "json") return JSON.stringify({ model, messages });
  return JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true } });
}

export interface Target {
  /** Short id used in the JSON and as a column key. */
  id: string;
  label: string;
  request(workload: Workload): RequestSpec;
  /** Processes whose memory is reported (the load generator's own is not). */
  server?: Server;
}

export const JSON_HEADERS = { "content-type": "application/json" };

export async function startMock(): Promise<{ server: Server; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const server = await startServer(
    "mock upstream",
    join(ROOT, "node_modules/.bin/tsx"),
    [join(ROOT, "bench/servers/mock.ts"), "--port", String(port)],
    { cwd: ROOT, env: { ...quietEnv, NODE_ENV: "production" } },
    () => answers(`http://127.0.0.1:${port}/`),
  );
  return { server, baseUrl };
}

export function directTarget(mockBaseUrl: string, mock: Server): Target {
  return {
    id: "direct",
    label: "direct (mock)",
    server: mock,
    request: (workload) => ({
      url: `${mockBaseUrl}/chat/completions`,
      headers: { ...JSON_HEADERS, authorization: "Bearer sk-bench-upstream" },
      body: chatBody("echo", workload),
    }),
  };
}

/**
 * The floor: a bare pass-through worker on the same workerd setup as `switchyard`
 * (servers/floor.ts). Its overhead over direct is what workerd and this machine cost any
 * gateway built on them; the gateway's own code is the difference between it and switchyard.
 * `floor-js` passes the answer back through a JavaScript read/write loop instead of workerd's
 * native pipe: the least a gateway that rewrites a stream costs.
 */
export async function startFloor(mockBaseUrl: string, loop: "native" | "js" = "native"): Promise<Target & { server: Server }> {
  const port = await freePort();
  const label = FLOOR_LABEL[loop];
  const server = await startServer(
    label,
    join(ROOT, "node_modules/.bin/tsx"),
    [join(ROOT, "bench/servers/floor.ts"), "--config", join(ROOT, "wrangler.toml"), "--port", String(port), "--upstream", mockBaseUrl, "--loop", loop],
    { cwd: ROOT, env: quietEnv },
    () => answers(`http://127.0.0.1:${port}/`),
  );
  return {
    id: loop === "js" ? "floor-js" : "floor",
    label,
    server,
    request: (workload) => ({
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: JSON_HEADERS,
      body: chatBody("echo", workload),
    }),
  };
}

const FLOOR_LABEL = { native: "floor (bare workerd proxy)", js: "floor-js (bare proxy, JS stream loop)" } as const;

export interface SwitchyardHandle {
  target: Target;
  state: GatewayState;
  stop(): Promise<void>;
}

export const SERVE_ID: Record<ServeMode, string> = {
  direct: "switchyard",
  "direct-d1-same": "switchyard-d1-same",
  "miniflare-entry": "switchyard-miniflare-entry",
  "wrangler-dev": "switchyard-wrangler-dev",
};

let builtScript: Promise<string> | undefined;

/** The gateway built with a patch applied to the working tree (reverted once built), for A/B runs in one bench. */
export interface Variant {
  patch: string;
}

/**
 * Builds the bundle with `variant.patch` applied (`git apply`, reverted once built, also
 * when the build fails): the tree itself is left as it was.
 */
async function buildVariant(variant: Variant): Promise<string> {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, stdio: "inherit" });
  git("apply", variant.patch);
  try {
    return await buildWorker("bench-build-b");
  } finally {
    git("apply", "-R", variant.patch);
  }
}

export async function startSwitchyard(mode: ServeMode, mockBaseUrl: string, inspectorPort?: number, variant?: Variant): Promise<SwitchyardHandle> {
  // (the variant first: its patch is applied only while it builds)
  const script = variant ? await buildVariant(variant) : await (builtScript ??= buildWorker());
  const state = await prepareState(process.env.BENCH_D1_ON_DISK === "1");
  // Both mock providers of mock/echo: the planner spreads requests over its endpoints, and an
  // endpoint left on the in-process mock would never touch the network.
  const vars = { PROVIDER_BASE_URLS: JSON.stringify({ mock: mockBaseUrl, "mock-eu": mockBaseUrl }) };
  const { server, url } = await startGateway(mode, {
    script,
    state,
    vars,
    ...(inspectorPort ? { inspectorPort } : {}),
  });
  const target: Target = {
    id: variant ? "switchyard-b" : SERVE_ID[mode],
    label: variant ? `switchyard + ${basename(variant.patch)}` : SERVE_LABEL[mode],
    server,
    request: (workload) => ({
      url: `${url}/api/v1/chat/completions`,
      headers: { ...JSON_HEADERS, authorization: `Bearer ${state.apiKey}` },
      body: chatBody("mock/echo", workload),
    }),
  };
  return {
    target,
    state,
    async stop() {
      await server.stop();
      state.remove();
    },
  };
}

/**
 * The mock upstream and the gateway in front of it, for a script that measures the gateway
 * alone (profile, timeline, legs): both are stopped once `use` is done or fails, the mock
 * also when the gateway fails to start.
 */
export async function withGateway<T>(
  mode: ServeMode,
  inspectorPort: number | undefined,
  use: (sy: SwitchyardHandle, mock: { server: Server; baseUrl: string }) => Promise<T>,
): Promise<T> {
  const mock = await startMock();
  try {
    const sy = await startSwitchyard(mode, mock.baseUrl, inspectorPort);
    try {
      return await use(sy, mock);
    } finally {
      await sy.stop();
    }
  } finally {
    await mock.server.stop();
  }
}

/**
 * The peer: Portkey's open-source gateway from npm, on Node, as its README
 * runs it in production (NODE_ENV=production, --headless), sent to the same
 * mock as an OpenAI-compatible custom host.
 */
export async function startPeer(mockBaseUrl: string): Promise<Target & { server: Server }> {
  const port = await freePort();
  const entry = join(ROOT, "bench/node_modules/@portkey-ai/gateway/build/start-server.js");
  const server = await startServer(
    "peer (portkey)",
    process.execPath,
    [entry, "--headless", `--port=${port}`],
    { cwd: join(ROOT, "bench"), env: { ...quietEnv, NODE_ENV: "production" } },
    () => answers(`http://127.0.0.1:${port}/`),
  );
  return {
    id: "peer",
    label: "peer (Portkey)",
    server,
    request: (workload) => ({
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: {
        ...JSON_HEADERS,
        authorization: "Bearer sk-bench-upstream",
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": mockBaseUrl,
      },
      body: chatBody("echo", workload),
    }),
  };
}
