import type { ReasoningDetail } from "@switchyard/schemas";

/**
 * Signed reasoning (Anthropic's thinking blocks) carried through a stateless Responses
 * conversation: the answer's reasoning item holds the blocks as its `encrypted_content`
 * (opaque to the client, as OpenAI's is), and a client sending the item back gives them
 * back to the provider. Anything else in encrypted_content is not ours and is ignored.
 */
const PREFIX = "sy1.";

export function encryptedFromDetails(details: ReasoningDetail[]): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(JSON.stringify(details))) binary += String.fromCharCode(byte);
  return PREFIX + btoa(binary);
}

export function detailsFromEncrypted(value: string): ReasoningDetail[] | null {
  if (!value.startsWith(PREFIX)) return null;
  try {
    const bytes = Uint8Array.from(atob(value.slice(PREFIX.length)), (ch) => ch.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return Array.isArray(parsed) ? parsed.filter((d): d is ReasoningDetail => !!d && typeof d === "object" && typeof d.type === "string") : null;
  } catch {
    return null;
  }
}
