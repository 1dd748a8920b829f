import type { EmbeddingsRequest } from "@switchyard/schemas";
import type { EmbeddingItem, EmbeddingsAdapter, ParsedEmbeddings, UpstreamRequest, UpstreamTarget } from "../types.ts";
import { MalformedUpstreamResponse } from "./response.ts";

/** OpenAI's `POST /embeddings`: the request as sent, with the provider's model id, minus gateway fields. */
function buildEmbeddingsRequest(req: EmbeddingsRequest, target: UpstreamTarget): UpstreamRequest {
  const body: Record<string, unknown> = { model: target.upstreamModel, input: req.input };
  if (req.encoding_format) body.encoding_format = req.encoding_format;
  if (req.dimensions !== undefined) body.dimensions = req.dimensions;
  if (req.user) body.user = req.user;
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return { url: `${target.baseUrl.replace(/\/$/, "")}/embeddings`, headers, body: JSON.stringify(body) };
}

function parseEmbeddings(body: unknown): ParsedEmbeddings {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new MalformedUpstreamResponse("upstream answer has no data list");
  const items: EmbeddingItem[] = data.map((item: { index?: unknown; embedding?: unknown }, i) => {
    const vector = item?.embedding;
    if (!(typeof vector === "string" || (Array.isArray(vector) && vector.every((x) => typeof x === "number")))) {
      throw new MalformedUpstreamResponse(`upstream embedding ${i} is neither a number list nor base64`);
    }
    return { object: "embedding", index: typeof item.index === "number" ? item.index : i, embedding: vector };
  });
  const usage = (body as { usage?: { prompt_tokens?: unknown } }).usage;
  return {
    data: items,
    usage: typeof usage?.prompt_tokens === "number" ? { promptTokens: usage.prompt_tokens, completionTokens: 0 } : null,
  };
}

export const openaiEmbeddings: EmbeddingsAdapter = { buildRequest: buildEmbeddingsRequest, parseResponse: parseEmbeddings };
