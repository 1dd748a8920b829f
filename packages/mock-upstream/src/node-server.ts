/**
 * Thin node:http adapter around the Web-standard handler, for tests and
 * benchmarks that need a real socket. It streams the Web Response body chunk by
 * chunk (Nagle off, each chunk written before the next is read), records every
 * request, drops the socket for `cut`, and counts client disconnects.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorResponse } from "./errors.ts";
import { handleMockUpstream } from "./handler.ts";
import type { MockScriptStep, RecordedRequest } from "./types.ts";

export interface MockUpstreamServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  script?: MockScriptStep[];
}

export interface MockUpstreamServer {
  /** Base URL including /v1, ready for `new OpenAI({ baseURL: url })`. */
  url: string;
  port: number;
  /** Every request received, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Requests whose client disconnected before the response finished. */
  readonly aborted: number;
  /** TCP connections accepted so far (a client that reuses its connections opens few). */
  readonly connections: number;
  /** Replaces the remaining script queue. */
  setScript(steps: MockScriptStep[]): void;
  close(): Promise<void>;
}

/** Hop-by-hop and framing headers: the Web Request recomputes these itself. */
const SKIP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade"]);

export async function startMockUpstream(options: MockUpstreamServerOptions = {}): Promise<MockUpstreamServer> {
  const host = options.host ?? "127.0.0.1";
  // One shared queue: the handler shift()s a step per chat request.
  const script: MockScriptStep[] = [...(options.script ?? [])];
  const requests: RecordedRequest[] = [];
  let aborted = 0;
  let connections = 0;

  const server = createServer((req, res) => {
    void serve(req, res, {
      script,
      record: (r) => requests.push(r),
      onClientAbort: () => aborted++,
    });
  });
  // Streaming latency matters more than packet count: send small SSE writes at once.
  server.on("connection", (socket) => {
    socket.setNoDelay(true);
    connections++;
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    requests,
    get aborted() {
      return aborted;
    },
    get connections() {
      return connections;
    },
    setScript(steps) {
      script.splice(0, script.length, ...steps);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive and stalled connections would otherwise hold close() open forever.
        server.closeAllConnections();
      });
    },
  };
}

interface ServeContext {
  script: MockScriptStep[];
  record(request: RecordedRequest): void;
  onClientAbort(): void;
}

async function serve(req: IncomingMessage, res: ServerResponse, ctx: ServeContext): Promise<void> {
  const abort = new AbortController();
  let cutByServer = false;
  res.once("close", () => {
    // 'close' before 'finish' means the connection went away mid-response; a cut is our own doing.
    if (!res.writableFinished && !cutByServer) ctx.onClientAbort();
    abort.abort(new DOMException("client disconnected", "AbortError"));
  });

  let raw: Buffer;
  try {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    raw = Buffer.concat(parts);
  } catch {
    return; // client vanished while sending the body
  }

  const headers = new Headers();
  const recorded: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(", ") : value;
    recorded[name] = joined;
    if (!SKIP_HEADERS.has(name)) headers.set(name, joined);
  }
  const text = raw.toString("utf8");
  ctx.record({ method: req.method ?? "GET", path: req.url ?? "/", headers: recorded, body: parseJson(text) });

  const method = req.method ?? "GET";
  const request = new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : text,
    signal: abort.signal,
  });

  let response: Response;
  try {
    response = await handleMockUpstream(request, { script: ctx.script, cutMode: "error" });
  } catch (err) {
    if (abort.signal.aborted || res.destroyed) return; // hang/latency ended by the client leaving
    response = errorResponse(500, { message: `mock upstream crashed: ${String(err)}` });
  }
  if (res.destroyed) {
    await response.body?.cancel().catch(() => {});
    return;
  }

  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => (outHeaders[name] = value));
  res.writeHead(response.status, outHeaders);
  res.flushHeaders(); // headers go out now, so a stalled body still has a measurable first byte
  if (!response.body) {
    res.end();
    return;
  }

  const reader = response.body.getReader();
  res.once("close", () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      await writeChunk(res, value);
    }
    if (!res.destroyed) res.end();
  } catch {
    if (res.destroyed) return;
    // MockCutError (or any body failure): drop the socket mid-body, with no chunked terminator.
    cutByServer = true;
    res.destroy();
  }
}

/** Resolves once the chunk is handed to the socket, so nothing piles up in userland buffers. */
function writeChunk(res: ServerResponse, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("close", done);
      resolve();
    };
    res.once("close", done);
    res.write(chunk, done);
  });
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
