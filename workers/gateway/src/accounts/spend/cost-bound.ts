import type { Endpoint } from "@switchyard/catalog";
import { byokFeeNanos, usageCostCeilingNanos } from "@switchyard/fees";
import type { ChatCompletionRequest } from "@switchyard/schemas";
import type { Attempt } from "../../byok/targets.ts";
import { attemptsThatFit, chatPromptSize } from "../../inference/prompt-size.ts";

/**
 * The most a request can cost: what the spend reserve holds before the upstream
 * is called. It is an upper bound when two things hold, which is why it is safe
 * to reserve exactly this much:
 * - a prompt token is at least one UTF-8 byte (true of byte-level BPE tokenizers),
 *   so the prompt's JSON size in bytes bounds its tokens, however long the endpoint's
 *   context (a provider that takes, and bills, more than its context is still covered);
 *   a prompt with images, audio or files is bounded by the larger of its bytes and the
 *   endpoint's whole context length (an image URL is short but costs many tokens);
 * - the provider stops at max_tokens (or at the endpoint's max output when the
 *   client sets none);
 * - every prompt token is priced at the dearest prompt-side price: the full prompt
 *   price, or the cache-write price where that is dearer (Anthropic), never the
 *   cache-read discount (which part of a prompt is cached is only known after).
 * Over a failover plan it is the bound of the dearest attempt that can take the prompt:
 * an endpoint whose context the prompt certainly exceeds is never called (the failover loop
 * skips it), and when that is every endpoint the request is a 400 `context_length_exceeded`
 * (thrown from here, before anything is reserved). An attempt with the
 * workspace's own key (BYOK) can cost at most the BYOK fee on that bound (it is
 * reserved even within the free million: whether a request is free is only known
 * when it is settled).
 */
export function costBoundNanos(plan: readonly Attempt[], request: ChatCompletionRequest): bigint {
  const size = chatPromptSize(request);
  const images = countParts(request, "image_url");
  let bound = 0n;
  for (const { endpoint, byok } of attemptsThatFit(plan, size.minTokens)) {
    const promptTokens = size.multimodal ? Math.max(size.maxTokens, endpoint.contextLength) : size.maxTokens;
    const hosted = endpointBound(endpoint, promptTokens, images, request);
    const cost = byok ? byokFeeNanos(hosted) : hosted;
    if (cost > bound) bound = cost;
  }
  return bound;
}

function endpointBound(endpoint: Endpoint, promptTokens: number, images: number, request: ChatCompletionRequest): bigint {
  const asked = request.max_completion_tokens ?? request.max_tokens ?? endpoint.maxOutput;
  const completionTokens = Math.min(asked, endpoint.maxOutput);
  return usageCostCeilingNanos(endpoint.pricing, { promptTokens, completionTokens, images });
}

function countParts(request: ChatCompletionRequest, type: string): number {
  let n = 0;
  for (const message of request.messages) {
    if (Array.isArray(message.content)) for (const part of message.content) if (part.type === type) n++;
  }
  return n;
}
