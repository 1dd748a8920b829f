import type { ChatCompletionRequest } from "@switchyard/schemas";
import type { UpstreamRequest, UpstreamTarget } from "../types.ts";

/** Gateway-only fields that OpenAI-compatible upstreams do not know and may reject. */
const GATEWAY_FIELDS = new Set(["models", "provider", "usage", "transforms", "model"]);

/**
 * The body for an OpenAI-compatible upstream: the client's request as sent, minus
 * the gateway's own fields, with the provider's model id. Usage is always asked
 * for in streams, because the gateway bills from it.
 */
export function buildOpenAIRequest(req: ChatCompletionRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const body: Record<string, unknown> = { model: target.upstreamModel };
  for (const [key, value] of Object.entries(req)) {
    if (!GATEWAY_FIELDS.has(key) && value !== undefined) body[key] = value;
  }
  body.stream = stream;
  if (stream) body.stream_options = { include_usage: true };
  else delete body.stream_options;

  const headers: Record<string, string> = { "content-type": "application/json", accept: stream ? "text/event-stream" : "application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return { url: `${target.baseUrl.replace(/\/$/, "")}/chat/completions`, headers, body: JSON.stringify(body) };
}
