import { MalformedUpstreamResponse, type ParsedEmbeddings } from "@switchyard/providers";
import type { EmbeddingsRequest } from "@switchyard/schemas";
import type { Attempt } from "../byok/targets.ts";
import type { Env } from "../env.ts";
import { attemptUpstream } from "./call-upstream.ts";
import { type Committed, type FailoverOptions, firstAnswering } from "./failover.ts";
import { attemptsThatFit, embeddingsInputSizes, largestInput } from "./prompt-size.ts";
import { invalidAnswer, parseAnswer } from "./read-completion.ts";
import { TranslationFault } from "./translation-fault.ts";

/**
 * The planned endpoints tried in order until one answers with valid embeddings,
 * through the chat path's failover loop (same retry, health, BYOK and ZDR rules).
 * The answer is read and checked before it is committed, so an invalid one fails
 * over like a 5xx. Endpoints whose wire format has no embeddings endpoint are skipped.
 */
export async function firstEmbeddingEndpoint(
  env: Env,
  plan: Attempt[],
  request: EmbeddingsRequest,
  options: Omit<FailoverOptions, "stream">,
): Promise<Committed & { parsed: ParsedEmbeddings }> {
  let parsed: ParsedEmbeddings | undefined;
  // An endpoint whose context an input certainly exceeds is not tried (nor reserved for).
  const largest = largestInput(embeddingsInputSizes(request));
  const fitting = attemptsThatFit(plan, largest.minTokens, largest.what);
  const committed = await firstAnswering(env, fitting, options, (adapter, target) => {
    const embeddings = adapter.embeddings;
    if (!embeddings) return null;
    return attemptUpstream(
      {
        build: () => embeddings.buildRequest(request, target),
        parseError: adapter.parseError,
        accept: async (response) => {
          const body = parseAnswer(await response.text()); // a read that throws is the connection's: attemptUpstream classifies it
          if (!body.ok) return body;
          try {
            parsed = embeddings.parseResponse(body.value);
            return { ok: true, response };
          } catch (e) {
            if (e instanceof MalformedUpstreamResponse) return { ok: false, failure: invalidAnswer(e.message) };
            throw new TranslationFault(e);
          }
        },
      },
      options.signal,
      options.firstByteTimeoutMs,
    );
  });
  // Only the committed (last) attempt succeeded, so `parsed` is its answer.
  return { ...committed, parsed: parsed! };
}
