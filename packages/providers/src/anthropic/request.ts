import type { CacheControl, ChatCompletionRequest, ChatMessage, ContentPart, ReasoningDetail, Tool, ToolChoice } from "@switchyard/schemas";
import { maxOutputTokens, parseDataUrl, partsOf, stopList, textOf, toolArguments } from "../shared/content.ts";
import { ANTHROPIC_REASONING_FORMAT, MIN_THINKING_BUDGET, thinkingBudget, wantsReasoning } from "../shared/reasoning.ts";
import { Turns } from "../shared/turns.ts";
import { UntranslatableRequest } from "../shared/untranslatable.ts";
import type { UpstreamRequest, UpstreamTarget } from "../types.ts";

/** The Messages API version the adapter is written against. */
export const ANTHROPIC_VERSION = "2023-06-01";
/** Anthropic requires max_tokens; used only when neither the request nor the catalog gives one. */
const FALLBACK_MAX_TOKENS = 4096;

type Block = Record<string, unknown>;

/**
 * An OpenAI chat request as a Messages API request: system messages lifted into
 * `system`, content parts and tool traffic as content blocks, consecutive turns of
 * one role merged (tool results for parallel calls must share one user turn).
 * Parameters the Messages API lacks (penalties, seed, logprobs, response_format)
 * are not sent. `cache_control` on content parts and tools goes on the matching
 * blocks; `reasoning` becomes a thinking budget, and signed reasoning_details on
 * assistant turns go back as the thinking blocks they came from.
 */
export function buildAnthropicRequest(req: ChatCompletionRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const { system, messages } = translateMessages(req.messages);
  const maxTokens = maxOutputTokens(req) ?? target.maxOutput ?? FALLBACK_MAX_TOKENS;
  const body: Record<string, unknown> = { model: target.upstreamModel, max_tokens: maxTokens, messages };
  if (system.length) body.system = system;
  const thinking = resumesToolTurnWithoutThinking(messages) ? undefined : thinkingOf(req, maxTokens);
  if (thinking) body.thinking = thinking;
  // Anthropic's temperature range is 0–1; OpenAI's is 0–2. Thinking allows neither temperature nor top_k.
  if (req.temperature !== undefined && !thinking) body.temperature = Math.min(req.temperature, 1);
  if (req.top_p !== undefined && (!thinking || req.top_p >= 0.95)) body.top_p = req.top_p;
  if (req.top_k !== undefined && !thinking) body.top_k = req.top_k;
  const stop = stopList(req.stop);
  if (stop) body.stop_sequences = stop;
  if (req.user) body.metadata = { user_id: req.user };
  if (req.tools?.length) {
    body.tools = req.tools.map(anthropicTool);
    const choice = anthropicToolChoice(req.tool_choice, req.parallel_tool_calls);
    if (choice) body.tool_choice = choice;
  }
  if (stream) body.stream = true;

  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: stream ? "text/event-stream" : "application/json",
    "anthropic-version": ANTHROPIC_VERSION,
  };
  if (target.apiKey) headers["x-api-key"] = target.apiKey;
  return { url: `${target.baseUrl.replace(/\/$/, "")}/messages`, headers, body: JSON.stringify(body) };
}

function translateMessages(messages: ChatMessage[]): { system: Block[]; messages: Array<{ role: string; content: Block[] }> } {
  const system: Block[] = [];
  const turns = new Turns<"user" | "assistant", Block>();
  const push = turns.push.bind(turns);
  messages.forEach((m, i) => {
    switch (m.role) {
      case "system":
      case "developer":
        system.push(...textBlocks(m.content));
        break;
      case "user":
        push("user", partsOf(m.content).flatMap((part, j) => userBlock(part, `messages[${i}].content[${j}]`)));
        break;
      case "assistant":
        push("assistant", assistantBlocks(m, i));
        break;
      case "tool": {
        const cache = cacheOf(m.content);
        push("user", [{ type: "tool_result", tool_use_id: m.tool_call_id, content: textOf(m.content), ...cache }]);
        break;
      }
    }
  });
  return { system, messages: turns.list.map((t) => ({ role: t.role, content: t.items })) };
}

function userBlock(part: ContentPart, where: string): Block[] {
  switch (part.type) {
    case "text":
      // Anthropic rejects empty text blocks.
      return part.text ? [{ type: "text", text: part.text, ...cacheField(part.cache_control) }] : [];
    case "image_url": {
      const url = part.image_url.url;
      const inline = parseDataUrl(url);
      const cache = cacheField(part.cache_control);
      if (inline) return [{ type: "image", source: { type: "base64", media_type: inline.mediaType, data: inline.data }, ...cache }];
      if (/^https?:\/\//i.test(url)) return [{ type: "image", source: { type: "url", url }, ...cache }];
      throw new UntranslatableRequest(`${where}: an image must be an http(s) URL or a base64 data URL`);
    }
    case "file": {
      const inline = part.file.file_data ? parseDataUrl(part.file.file_data) : null;
      if (inline?.mediaType === "application/pdf") {
        return [{ type: "document", source: { type: "base64", media_type: inline.mediaType, data: inline.data } }];
      }
      throw new UntranslatableRequest(`${where}: Anthropic accepts files only as base64 PDF data URLs`);
    }
    case "input_audio":
      throw new UntranslatableRequest(`${where}: Anthropic models do not accept audio input`);
  }
}

function assistantBlocks(m: Extract<ChatMessage, { role: "assistant" }>, i: number): Block[] {
  const blocks: Block[] = (m.reasoning_details ?? []).flatMap(thinkingBlock);
  blocks.push(...textBlocks(m.content));
  m.tool_calls?.forEach((call, j) => {
    blocks.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: toolArguments(call.function.arguments, `messages[${i}].tool_calls[${j}]`),
    });
  });
  return blocks;
}

function anthropicTool(tool: Tool): Block {
  return {
    name: tool.function.name,
    ...(tool.function.description ? { description: tool.function.description } : {}),
    // Anthropic requires an object schema; OpenAI allows leaving parameters out.
    input_schema: { type: "object", ...(tool.function.parameters ?? {}) },
    ...cacheField(tool.cache_control),
  };
}

/** Text content as text blocks, each part's cache breakpoint kept (a plain string is one block). */
function textBlocks(content: ChatMessage["content"] | null | undefined): Block[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return (content ?? []).flatMap((p) => (p.type === "text" && p.text ? [{ type: "text", text: p.text, ...cacheField(p.cache_control) }] : []));
}

const cacheField = (cache: CacheControl | undefined): Block => (cache ? { cache_control: cache } : {});

/** The breakpoint of content made into one block (a tool result): the last one any part carries. */
function cacheOf(content: ChatMessage["content"] | null | undefined): Block {
  if (!Array.isArray(content)) return {};
  const marked = content.filter((p) => "cache_control" in p && p.cache_control).at(-1);
  return marked && "cache_control" in marked ? cacheField(marked.cache_control) : {};
}

/**
 * A reasoning detail as the thinking block it came from. Only Anthropic's own, signed blocks
 * go back: Anthropic rejects a thinking block without a valid signature, and reasoning from
 * other providers (unsigned, or signed by them) means nothing to it.
 */
function thinkingBlock(detail: ReasoningDetail): Block[] {
  if (detail.format && detail.format !== ANTHROPIC_REASONING_FORMAT) return [];
  if (detail.type === "reasoning.text" && detail.signature) return [{ type: "thinking", thinking: detail.text ?? "", signature: detail.signature }];
  if (detail.type === "reasoning.encrypted" && detail.data) return [{ type: "redacted_thinking", data: detail.data }];
  return [];
}

/**
 * With thinking on, Anthropic refuses a tool loop whose last assistant turn does not start
 * with its thinking block (400 "a final assistant message must start with a thinking block").
 * That turn has none when it was answered by another provider (failover, a session moved
 * between models) or when the client excluded reasoning: such a request goes without
 * thinking rather than failing.
 */
function resumesToolTurnWithoutThinking(messages: Array<{ role: string; content: Block[] }>): boolean {
  const last = messages.filter((m) => m.role === "assistant").at(-1);
  if (!last?.content.some((b) => b.type === "tool_use")) return false;
  const first = last.content[0]?.type;
  return first !== "thinking" && first !== "redacted_thinking";
}

/** `reasoning` as a thinking budget, which must stay under max_tokens (no room: no thinking). */
function thinkingOf(req: ChatCompletionRequest, maxTokens: number): Block | undefined {
  if (!wantsReasoning(req.reasoning)) return undefined;
  const budget = Math.min(thinkingBudget(req.reasoning, maxTokens), maxTokens - 1);
  return budget >= MIN_THINKING_BUDGET ? { type: "enabled", budget_tokens: budget } : undefined;
}

function anthropicToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Block | undefined {
  const serial = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...serial };
  if (typeof choice === "object") return { type: "tool", name: choice.function.name, ...serial };
  if (choice === "auto" || parallel === false) return { type: "auto", ...serial };
  return undefined;
}
