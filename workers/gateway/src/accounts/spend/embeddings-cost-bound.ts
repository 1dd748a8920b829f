import { byokFeeNanos, usageCostCeilingNanos } from "@switchyard/fees";
import type { EmbeddingsRequest } from "@switchyard/schemas";
import type { Attempt } from "../../byok/targets.ts";
import { attemptsThatFit, embeddingsInputSizes, largestInput } from "../../inference/prompt-size.ts";

/**
 * The most an embeddings request can cost, for the spend reserve (see
 * costBoundNanos for chat): a token is at least one UTF-8 byte, so a text's
 * byte length bounds its tokens, and a token list is its own length; the context
 * length caps nothing. Embeddings have no output tokens. Over a failover plan it is the
 * dearest attempt whose context every input can fit (an input that certainly exceeds
 * every planned context is a 400 `context_length_exceeded`, thrown from here); a BYOK
 * attempt the BYOK fee on it.
 */
export function embeddingsCostBoundNanos(plan: readonly Attempt[], request: EmbeddingsRequest): bigint {
  const sizes = embeddingsInputSizes(request);
  const largest = largestInput(sizes);
  const promptTokens = sizes.reduce((sum, size) => sum + size.maxTokens, 0);
  let bound = 0n;
  for (const { endpoint, byok } of attemptsThatFit(plan, largest.minTokens, largest.what)) {
    const hosted = usageCostCeilingNanos(endpoint.pricing, { promptTokens, completionTokens: 0 });
    const cost = byok ? byokFeeNanos(hosted) : hosted;
    if (cost > bound) bound = cost;
  }
  return bound;
}
