import { badRequest, payloadTooLarge } from "@switchyard/schemas";
import { assertJsonDepth } from "./json-depth.ts";

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a JSON body, refusing more than `limit` bytes. A body with a declared
 * Content-Length (HTTP framing stops it there) is read in one native call; a
 * chunked body is counted as it comes and refused as soon as it passes the
 * limit, without buffering the rest. The bytes are decoded once and parsed once.
 * JSON nested deeper than MAX_JSON_DEPTH is a 400 naming its path.
 */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const header = request.headers.get("content-length");
  const declared = header === null ? Number.NaN : Number(header);
  if (declared > limit) throw payloadTooLarge(limit);
  if (!request.body) throw badRequest("Request body is empty: send a JSON object");

  const bytes = Number.isFinite(declared) ? new Uint8Array(await request.arrayBuffer()) : await readCounted(request.body, limit);
  if (bytes.byteLength > limit) throw payloadTooLarge(limit); // a Request built in-process may declare less than it holds
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badRequest("Request body is not valid UTF-8");
  }
  if (!text.trim()) throw badRequest("Request body is empty: send a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw badRequest(`Request body is not valid JSON: ${e instanceof Error ? e.message : "parse error"}`);
  }
  assertJsonDepth(value);
  return value;
}

async function readCounted(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw payloadTooLarge(limit);
    }
    parts.push(value);
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
