/**
 * Extended thinking, as Anthropic's models do it: a thinking block before the answer,
 * signed so that the provider can tell the block came back unchanged. The mock's
 * signature is a hash of the text under a fixed secret: anything edited or made up fails.
 */
import { fnv1a } from "./hash.ts";

const SECRET = "mock-thinking-secret";

export function thinkingSignature(thinking: string): string {
  return `sig_mock_${fnv1a(`${SECRET}:${thinking}`)}${fnv1a(`${thinking}:${SECRET}`)}`;
}

export function validSignature(thinking: unknown, signature: unknown): boolean {
  return typeof thinking === "string" && typeof signature === "string" && signature === thinkingSignature(thinking);
}

/** What the mock "thinks" about a turn: deterministic, a few words. */
export function thoughtsAbout(userText: string, afterToolResult: boolean): string {
  return afterToolResult ? "The tool answered; I will report its result." : `The user said "${userText}". I will answer.`;
}
