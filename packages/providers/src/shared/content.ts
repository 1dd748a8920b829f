import type { ChatMessage, ContentPart } from "@switchyard/schemas";
import { UntranslatableRequest } from "./untranslatable.ts";

type Content = ChatMessage["content"];

/** The text of a message: a string as-is, text parts joined by newlines, nothing else. */
export function textOf(content: Content | null | undefined): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((p): p is Extract<ContentPart, { type: "text" }> => p.type === "text")
    .map((p) => p.text)
    .join("\n");
}

/** A content value as a list of parts (a string becomes one text part). */
export function partsOf(content: Content | null | undefined): ContentPart[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return content ?? [];
}

export interface DataUrl {
  mediaType: string;
  /** Base64 payload. */
  data: string;
}

/** `data:image/png;base64,AAAA` → { mediaType, data }; null for anything that is not a base64 data URL. */
export function parseDataUrl(url: string): DataUrl | null {
  const match = /^data:([^;,]+)((?:;[^;,=]+=[^;,]*)*);base64,(.*)$/s.exec(url);
  if (!match) return null;
  return { mediaType: match[1]!.toLowerCase(), data: match[3]! };
}

/** Media type for a remote image URL, from its extension (providers want one). */
export function mediaTypeFromUrl(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  const known: Record<string, string> = { png: "image/png", gif: "image/gif", webp: "image/webp", jpg: "image/jpeg", jpeg: "image/jpeg", pdf: "application/pdf" };
  return (ext && known[ext]) ?? "image/jpeg";
}

/**
 * Tool-call arguments as the object native formats want. OpenAI carries them as a
 * JSON string; anything that does not parse to an object cannot be sent on.
 */
export function toolArguments(raw: string, where: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UntranslatableRequest(`${where}: function.arguments is not valid JSON`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new UntranslatableRequest(`${where}: function.arguments must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** `stop` as a list (OpenAI accepts a string or an array). */
export function stopList(stop: string | string[] | null | undefined): string[] | undefined {
  if (stop === null || stop === undefined) return undefined;
  const list = (typeof stop === "string" ? [stop] : stop).filter((s) => s !== "");
  return list.length ? list : undefined;
}

/** `max_completion_tokens` wins over the legacy `max_tokens`. */
export function maxOutputTokens(req: { max_tokens?: number; max_completion_tokens?: number }): number | undefined {
  return req.max_completion_tokens ?? req.max_tokens;
}
