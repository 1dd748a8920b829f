/**
 * The benchmark's upstream: plain node:http answering in OpenAI's wire format,
 * as close to free as a server gets, so that "direct" measures the network
 * path and not the mock.
 *
 * The first time it sees a request body it asks @switchyard/mock-upstream's
 * handler for the answer (the same bytes the test suite's mock sends: a JSON
 * completion, or an SSE stream honouring `[mock:chunks=N]` and
 * `[mock:chunk_delay=MS]`) and records it; every later identical request is
 * replayed from memory, chunk by chunk, one socket write per SSE event. The
 * test suite's Node server builds a Web Request per call and records every
 * request: about 3.5k req/s here, which would make the mock the bottleneck.
 *
 *   tsx bench/servers/mock.ts --port 9999
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { extractDirectives, handleMockUpstream } from "@switchyard/mock-upstream";

interface Recorded {
  status: number;
  headers: OutgoingHttpHeaders;
  /** One element per write: the whole JSON body, or one SSE event each. */
  pieces: Buffer[];
  chunkDelayMs: number;
}

const MAX_RECORDED = 256; // the bench sends a handful of distinct bodies; anything beyond is answered live
const recorded = new Map<string, Recorded>();

async function record(url: string, headers: IncomingMessage["headers"], raw: string): Promise<Recorded> {
  const forwarded = new Headers();
  for (const [k, v] of Object.entries(headers)) if (typeof v === "string" && k !== "host" && k !== "content-length") forwarded.set(k, v);
  const response = await handleMockUpstream(new Request(`http://mock${url}`, { method: "POST", headers: forwarded, body: raw }));
  const pieces: Buffer[] = [];
  const reader = response.body?.getReader();
  for (let r = await reader?.read(); r && !r.done; r = await reader!.read()) pieces.push(Buffer.from(r.value));
  const out: OutgoingHttpHeaders = {};
  response.headers.forEach((v, k) => (out[k] = v));
  const streamed = out["content-type"] === "text/event-stream";
  if (!streamed) {
    const body = Buffer.concat(pieces);
    out["content-length"] = body.byteLength;
    return { status: response.status, headers: out, pieces: [body], chunkDelayMs: 0 };
  }
  return { status: response.status, headers: out, pieces, chunkDelayMs: chunkDelayOf(raw) };
}

function chunkDelayOf(raw: string): number {
  try {
    const messages = (JSON.parse(raw) as { messages?: { role?: string; content?: unknown }[] }).messages ?? [];
    const last = [...messages].reverse().find((m) => m.role === "user");
    return typeof last?.content === "string" ? (extractDirectives(last.content).scenario.chunkDelay ?? 0) : 0;
  } catch {
    return 0;
  }
}

async function replay(res: ServerResponse, answer: Recorded): Promise<void> {
  res.writeHead(answer.status, answer.headers);
  if (answer.pieces.length === 1) {
    res.end(answer.pieces[0]);
    return;
  }
  for (let i = 0; i < answer.pieces.length; i++) {
    if (res.destroyed) return;
    if (i > 0 && answer.chunkDelayMs) await new Promise((ok) => setTimeout(ok, answer.chunkDelayMs));
    res.write(answer.pieces[i]);
  }
  res.end();
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const raw = Buffer.concat(parts).toString("utf8");
  if (req.method !== "POST") {
    res.writeHead(200, { "content-type": "text/plain" }).end("bench mock upstream");
    return;
  }
  const key = `${req.url}\n${raw}`;
  let answer = recorded.get(key);
  if (!answer) {
    answer = await record(req.url ?? "/", req.headers, raw);
    if (recorded.size < MAX_RECORDED) recorded.set(key, answer);
  }
  await replay(res, answer);
}

const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, host: { type: "string", default: "127.0.0.1" } } });
const server = createServer((req, res) => {
  serve(req, res).catch((err) => {
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: `bench mock failed: ${String(err)}` } }));
  });
});
server.keepAliveTimeout = 60_000; // load generators hold their connections open for the whole run
server.on("connection", (socket) => socket.setNoDelay(true)); // each SSE event leaves at once
server.listen(Number(values.port), values.host, () => {
  const { port } = server.address() as { port: number };
  console.log(`bench mock upstream on http://${values.host}:${port}/v1`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
