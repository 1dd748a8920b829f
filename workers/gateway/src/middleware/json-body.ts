import { badRequest, payloadTooLarge } from "@switchyard/schemas";

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Reads a JSON body, refusing more than `limit` bytes without buffering them
 * all (Content-Length is checked first, then the stream is counted as it comes).
 */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit);
  if (!request.body) throw badRequest("Request body is empty: send a JSON object");

  const reader = request.body.getReader();
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
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(concat(parts, size));
  } catch {
    throw badRequest("Request body is not valid UTF-8");
  }
  if (!text.trim()) throw badRequest("Request body is empty: send a JSON object");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`Request body is not valid JSON: ${e instanceof Error ? e.message : "parse error"}`);
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
