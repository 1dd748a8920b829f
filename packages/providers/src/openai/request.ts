import type { ChatCompletionRequest, ChatMessage, Tool } from "@switchyard/schemas";
import { reasoningEffort } from "../shared/reasoning.ts";
import type { UpstreamRequest, UpstreamTarget } from "../types.ts";

/** Gateway-only fields that OpenAI-compatible upstreams do not know and may reject. */
const GATEWAY_FIELDS = new Set(["models", "provider", "usage", "transforms", "model", "reasoning", "messages", "tools"]);

/**
 * The body for an OpenAI-compatible upstream: the client's request as sent, minus
 * the gateway's own fields, with the provider's model id. Usage is always asked
 * for in streams, because the gateway bills from it. `reasoning` goes as OpenAI's
 * reasoning_effort; Anthropic's cache breakpoints and reasoning blocks, which OpenAI's
 * format does not carry (it caches prefixes by itself), are left out.
 */
export function buildOpenAIRequest(req: ChatCompletionRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const body: Record<string, unknown> = { model: target.upstreamModel };
  for (const [key, value] of Object.entries(req)) {
    if (!GATEWAY_FIELDS.has(key) && value !== undefined) body[key] = value;
  }
  body.messages = req.messages.map(plainMessage);
  if (req.tools) body.tools = req.tools.map(plainTool);
  const effort = reasoningEffort(req);
  if (effort && body.reasoning_effort === undefined) body.reasoning_effort = effort;
  body.stream = stream;
  if (stream) body.stream_options = { include_usage: true };
  else delete body.stream_options;

  const headers: Record<string, string> = { "content-type": "application/json", accept: stream ? "text/event-stream" : "application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return { url: `${target.baseUrl.replace(/\/$/, "")}/chat/completions`, headers, body: JSON.stringify(body) };
}

/** A message without the fields only other formats know; unchanged (not copied) when it has none. */
function plainMessage(m: ChatMessage): ChatMessage {
  let out = m;
  if (m.role === "assistant" && (m.reasoning !== undefined || m.reasoning_details !== undefined)) {
    const { reasoning: _r, reasoning_details: _d, ...rest } = m;
    out = rest;
  }
  if (Array.isArray(out.content) && out.content.some((p) => "cache_control" in p)) {
    out = { ...out, content: out.content.map((p) => ("cache_control" in p ? withoutCache(p) : p)) } as ChatMessage;
  }
  return out;
}

function withoutCache<T extends { cache_control?: unknown }>(part: T): Omit<T, "cache_control"> {
  const { cache_control: _c, ...rest } = part;
  return rest;
}

const plainTool = (tool: Tool) => ("cache_control" in tool ? withoutCache(tool) : tool);
