import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startMockUpstream } from "@switchyard/mock-upstream/node";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./gateway-process.ts";

/**
 * Zero data retention against the real thing: a ZDR workspace's prompts and
 * answers, through wrangler dev, leave no byte on disk — not in the local D1,
 * not in the Durable Objects' SQLite files, not in a WAL — and no line in what
 * wrangler dev printed (the worker's logs included). The in-process version,
 * with providers that quote the prompt back, is workers/gateway/test/zdr.test.ts.
 */
const ZDR_KEY = "sk-sy-v1-e2e-zdr-only-key-0000000000000000";
let gateway: RunningGateway;
let upstream: Awaited<ReturnType<typeof startMockUpstream>>;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream();
  const hash = createHash("sha256").update(ZDR_KEY).digest("hex");
  gateway = await startGateway(
    { PROVIDER_BASE_URLS: JSON.stringify({ mock: upstream.url, "mock-eu": upstream.url }), STREAM_IDLE_TIMEOUT_MS: "500" },
    `INSERT INTO workspaces (id, account_id, name, zdr) VALUES ('ws_zdr_only', 'acct_demo', 'ZDR', 1);
     INSERT INTO api_keys (id, hash, prefix, name, workspace_id, kind) VALUES ('key_zdr_only', '${hash}', '${ZDR_KEY.slice(0, 14)}', 'ZDR key', 'ws_zdr_only', 'inference');`,
  );
  client = new OpenAI({ baseURL: `${gateway.url}/api/v1`, apiKey: ZDR_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

/** Every file under the gateway's state directory (local D1, Durable Objects, their WALs), as one buffer per file. */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

describe("a ZDR workspace through wrangler dev", () => {
  it("leaves its prompts and answers in no file and no log line, while its requests are recorded", async () => {
    const marker = () => `ZDRE2E${crypto.randomUUID().replaceAll("-", "")}`;
    const markers: string[] = [];
    const ids: string[] = [];
    const ask = (content: string) => {
      markers.push(content);
      return { model: "mock/echo", messages: [{ role: "system" as const, content: `system ${content}` }, { role: "user" as const, content }] };
    };

    const { data, response } = await client.chat.completions.create(ask(marker())).withResponse();
    expect(data.choices[0]!.message.content).toContain("Echo: ZDRE2E");
    ids.push(response.headers.get("x-generation-id")!);
    const stream = await client.chat.completions.create({ ...ask(marker()), stream: true });
    for await (const _ of stream);
    upstream.setScript(["status=500"]); // fails, and the ZDR plan has no other endpoint for mock/echo
    await expect(client.chat.completions.create(ask(marker()))).rejects.toMatchObject({ status: 502 });
    upstream.setScript(["cut=2"]);
    await expect((async () => {
      for await (const _ of await client.chat.completions.create({ ...ask(`${marker()} and a longer answer to cut`), stream: true }));
    })()).rejects.toMatchObject({ error: { code: 502 } });
    upstream.setScript(["stall=2"]);
    await expect((async () => {
      for await (const _ of await client.chat.completions.create({ ...ask(`${marker()} and a longer answer to stall`), stream: true }));
    })()).rejects.toMatchObject({ error: { code: 408 } });

    await new Promise((ok) => setTimeout(ok, 1_500)); // settlement runs after the responses
    const files = filesUnder(gateway.stateDir);
    // the scan sees the live data: the first request's generation id is on disk
    expect(files.some((f) => f.bytes.includes(ids[0]!))).toBe(true);
    for (const m of markers) {
      expect(files.filter((f) => f.bytes.includes(m)).map((f) => f.path), m).toEqual([]);
      expect(gateway.output()).not.toContain(m);
    }
  });
});
