import { byokFeeNanos, usageCostCeilingNanos } from "@switchyard/fees";
import type { EmbeddingsRequest } from "@switchyard/schemas";
import type { Attempt } from "../../byok/targets.ts";

/**
 * The most an embeddings request can cost, for the spend reserve (see
 * costBoundNanos for chat): a token is at least one UTF-8 byte, so a text's
 * byte length bounds its tokens, a token list is its own length, and no input
 * counts past the endpoint's context length. Embeddings have no output tokens.
 * Over a failover plan it is the dearest attempt; a BYOK attempt the BYOK fee on it.
 */
export function embeddingsCostBoundNanos(plan: readonly Attempt[], request: EmbeddingsRequest): bigint {
  const inputs = typeof request.input === "string" || typeof request.input[0] === "number" ? [request.input as string | number[]] : (request.input as Array<string | number[]>);
  const sizes = inputs.map((input) => (typeof input === "string" ? encoder.encode(input).byteLength : input.length));
  let bound = 0n;
  for (const { endpoint, byok } of plan) {
    const promptTokens = sizes.reduce((sum, size) => sum + Math.min(size, endpoint.contextLength), 0);
    const hosted = usageCostCeilingNanos(endpoint.pricing, { promptTokens, completionTokens: 0 });
    const cost = byok ? byokFeeNanos(hosted) : hosted;
    if (cost > bound) bound = cost;
  }
  return bound;
}

const encoder = new TextEncoder();
