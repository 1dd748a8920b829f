import type { RequestSpec, Workload } from "./targets.ts";
import { CHUNKS } from "./targets.ts";

/**
 * One request before any load: the answer must be what a client expects
 * (a completion echoing the prompt, or a stream of at least CHUNKS content
 * deltas ending in [DONE]); a benchmark of error responses measures nothing.
 */
export async function checkAnswer(spec: RequestSpec, workload: Workload): Promise<void> {
  const res = await fetch(spec.url, { method: "POST", headers: spec.headers, body: spec.body, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  const fail = (why: string) => new Error(`${spec.url} (${workload}): ${why}\n${res.status} ${text.slice(0, 500)}`);
  if (res.status !== 200) throw fail("not a 200");
  if (workload === "json") {
    const content = (JSON.parse(text) as { choices?: { message?: { content?: string } }[] }).choices?.[0]?.message?.content;
    if (!content?.startsWith("Echo: ")) throw fail("no echoed answer");
    return;
  }
  const events = text.split("\n\n").filter((e) => e.startsWith("data: "));
  if (events.at(-1) !== "data: [DONE]") throw fail("stream does not end with [DONE]");
  const deltas = events.filter((e) => e.includes('"delta":{"content":"') && !e.includes('"delta":{"content":""'));
  if (deltas.length < CHUNKS) throw fail(`only ${deltas.length} content chunks`);
}
