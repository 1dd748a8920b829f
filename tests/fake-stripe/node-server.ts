import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeStripe, type FakeStripe } from "./handler.ts";

/** The fake Stripe API as a real HTTP server on loopback. */
export async function startFakeStripe(): Promise<FakeStripe & { url: string; close(): Promise<void> }> {
  let fake!: FakeStripe;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await fake.handle(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake = createFakeStripe(url);
  return Object.assign(fake, { url, close: () => new Promise<void>((ok) => server.close(() => ok())) });
}
