/** Shared helpers for the mock-upstream tests. */
import { handleMockUpstream } from "../src/index.ts";
import type { MockOptions } from "../src/index.ts";

export const BASE = "http://mock.local/v1";

export function chatBody(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: "mock-model", messages: [{ role: "user", content: text }], ...extra };
}

export function post(body: unknown, headers: Record<string, string> = {}, init: RequestInit = {}): Request {
  return new Request(`${BASE}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

export async function call(body: unknown, headers: Record<string, string> = {}, options?: MockOptions): Promise<Response> {
  return handleMockUpstream(post(body, headers), options);
}

/** Splits an SSE body into its `data:` payloads, checking every event is `data: …\n\n`. */
export function sseData(text: string): string[] {
  const events = text.split("\n\n");
  const tail = events.pop();
  if (tail !== "") throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(tail)}`);
  return events.map((e) => {
    if (!e.startsWith("data: ") || e.includes("\n")) throw new Error(`bad SSE event: ${JSON.stringify(e)}`);
    return e.slice("data: ".length);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function chunksOf(text: string): Json[] {
  return sseData(text)
    .filter((d) => d !== "[DONE]")
    .map((d) => JSON.parse(d));
}

export function contentOf(chunks: Json[]): string {
  return chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join("");
}

/** Content chunks: those whose delta carries non-role content. */
export function contentChunks(chunks: Json[]): Json[] {
  return chunks.filter((c) => c.choices?.[0]?.delta && "content" in c.choices[0].delta && !("role" in c.choices[0].delta));
}

export async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("waitFor timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Reads a body until it ends or throws; returns the text so far and how it ended. */
export async function readAll(body: ReadableStream<Uint8Array>): Promise<{ text: string; error?: unknown }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

/** `Response.json()` is typed `unknown` under workers-types; tests want to poke at it freely. */
export async function json(res: Response): Promise<Json> {
  return res.json();
}
