/**
 * Where an Anthropic request's cacheable prefixes end: after tools + system, then after
 * each message; a prefix is a breakpoint when its last part carries `cache_control`.
 */
import { asMessages } from "../messages.ts";
import { type CachePrefix, hasCacheControl, prefixKey, useCache } from "../prompt-cache.ts";
import { promptTokens } from "../usage.ts";
import { chatFromAnthropic } from "./request.ts";

export function anthropicCachePrefixes(body: Record<string, unknown>): CachePrefix[] {
  const head = { model: body.model, tools: body.tools ?? null, system: body.system ?? null };
  const messages = asMessages(body.messages);
  const tokens = (upTo: number) => promptTokens(asMessages(chatFromAnthropic({ system: body.system, messages: messages.slice(0, upTo) }).messages));
  const prefixes: CachePrefix[] = [{ key: prefixKey([head]), tokens: tokens(0), breakpoint: hasCacheControl(body.tools) || hasCacheControl(body.system) }];
  messages.forEach((m, j) => {
    prefixes.push({ key: prefixKey([head, messages.slice(0, j + 1)]), tokens: tokens(j + 1), breakpoint: hasCacheControl(m.content) });
  });
  return prefixes;
}

export function anthropicPromptCache(body: Record<string, unknown>, prompt: number): { cached: number; written: number } {
  return useCache(anthropicCachePrefixes(body), prompt);
}
