import {
  isUnknownVariant,
  type CountTokensRequest,
  type MessagesBlock,
  type MessagesMessage,
  type MessagesRequest,
  type MessagesToolResultBlock,
} from "@switchyard/schemas";

type Json = Record<string, unknown>;

/** Anthropic's thinking signatures, in OpenRouter's reasoning_details format. */
const ANTHROPIC_FORMAT = "anthropic-claude-v1";

/**
 * A Messages API request as the gateway's chat request: `system` as system messages,
 * text/image/document blocks as content parts (cache_control kept), tool_use as
 * tool_calls, tool_result as tool messages, thinking blocks as signed reasoning_details,
 * `thinking` as `reasoning`. What the chat request cannot carry (server tools, block
 * types it does not know, images in tool results) is dropped and named in `dropped`.
 */
export function chatFromMessages(req: MessagesRequest): { chat: Json; dropped: string[] } {
  const dropped: string[] = [];
  const { messages, tools } = conversationOf(req, dropped);
  const chat: Json = { model: req.model, messages, max_tokens: req.max_tokens };
  if (tools.length) chat.tools = tools;
  if (tools.length && req.tool_choice) Object.assign(chat, toolChoiceOf(req.tool_choice));
  if (req.stop_sequences?.length) chat.stop = req.stop_sequences;
  if (req.temperature !== undefined) chat.temperature = req.temperature;
  if (req.top_p !== undefined) chat.top_p = req.top_p;
  if (req.top_k !== undefined) chat.top_k = req.top_k;
  if (req.metadata?.user_id) chat.user = req.metadata.user_id;
  const reasoning = reasoningOf(req.thinking);
  if (reasoning) chat.reasoning = reasoning;
  if (req.stream) chat.stream = true;
  if (req.models) chat.models = req.models;
  if (req.provider) chat.provider = req.provider;
  return { chat, dropped };
}

/** The messages and tools alone (count_tokens counts them). */
export function conversationOf(req: CountTokensRequest, dropped: string[]): { messages: Json[]; tools: Json[] } {
  const messages: Json[] = [];
  const system = typeof req.system === "string" ? req.system : (req.system ?? []).flatMap((b) => (isUnknownVariant(b) ? [] : [textPart(b)]));
  if (system.length) messages.push({ role: "system", content: system });
  req.messages.forEach((m) => messages.push(...chatMessagesOf(m, dropped)));
  const tools = (req.tools ?? []).flatMap((t): Json[] => {
    // A server tool (web search, bash, text editor…) has a versioned type and no input_schema: switchyard cannot run it.
    if (!t.input_schema || (t.type && t.type !== "custom")) {
      dropped.push(`tool:${t.name}`);
      return [];
    }
    const fn: Json = { name: t.name, parameters: t.input_schema };
    if (t.description) fn.description = t.description;
    return [{ type: "function", function: fn, ...(t.cache_control ? { cache_control: t.cache_control } : {}) }];
  });
  return { messages, tools };
}

const textPart = (b: { text: string; cache_control?: unknown }): Json => ({ type: "text", text: b.text, ...(b.cache_control ? { cache_control: b.cache_control } : {}) });

function chatMessagesOf(m: MessagesMessage, dropped: string[]): Json[] {
  if (typeof m.content === "string") return [{ role: m.role, content: m.content }];
  if (m.role === "system") return [{ role: "system", content: m.content.flatMap((b) => (!isUnknownVariant(b) && b.type === "text" ? [textPart(b)] : [])) }];
  return m.role === "assistant" ? [assistantOf(m.content, dropped)] : userMessagesOf(m.content, dropped);
}

/** Tool results become tool messages, in order, before the turn's other content (the chat format's order). */
function userMessagesOf(blocks: MessagesBlock[], dropped: string[]): Json[] {
  const out: Json[] = [];
  const parts: Json[] = [];
  for (const b of blocks) {
    if (isUnknownVariant(b)) dropped.push(`block:${b.type}`);
    else if (b.type === "tool_result") out.push(toolMessageOf(b, dropped));
    else if (b.type === "text") parts.push(textPart(b));
    else if (b.type === "image" || b.type === "document") {
      const part = mediaPart(b, dropped);
      if (part) parts.push(part);
    } else dropped.push(`block:${b.type}`); // tool_use or thinking in a user turn: not meaningful there
  }
  if (parts.length) out.push({ role: "user", content: parts });
  return out;
}

function mediaPart(b: Extract<MessagesBlock, { type: "image" | "document" }>, dropped: string[]): Json | null {
  const source = b.source;
  const cache = b.cache_control ? { cache_control: b.cache_control } : {};
  if (isUnknownVariant(source)) {
    dropped.push(`${b.type}:${source.type}`);
    return null;
  }
  const url = source.type === "base64" ? `data:${source.media_type};base64,${source.data}` : source.url;
  if (b.type === "image") return { type: "image_url", image_url: { url }, ...cache };
  return { type: "file", file: { file_data: url } };
}

/** A tool result's text (images are dropped: the chat format's tool messages carry text); an error result says so. */
function toolMessageOf(b: MessagesToolResultBlock, dropped: string[]): Json {
  let text = "";
  if (typeof b.content === "string") text = b.content;
  else {
    for (const part of b.content ?? []) {
      if (!isUnknownVariant(part) && part.type === "text") text += (text ? "\n" : "") + part.text;
      else dropped.push(`tool_result:${part.type}`);
    }
  }
  if (b.is_error) text = `Error: ${text}`;
  const content = b.cache_control ? [{ type: "text", text, cache_control: b.cache_control }] : text;
  return { role: "tool", tool_call_id: b.tool_use_id, content };
}

function assistantOf(blocks: MessagesBlock[], dropped: string[]): Json {
  const content: Json[] = [];
  const toolCalls: Json[] = [];
  const details: Json[] = [];
  blocks.forEach((b, index) => {
    if (isUnknownVariant(b)) dropped.push(`block:${b.type}`);
    else if (b.type === "text") content.push(textPart(b));
    else if (b.type === "tool_use") {
      toolCalls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
    } else if (b.type === "thinking") {
      details.push({ type: "reasoning.text", text: b.thinking, signature: b.signature ?? null, format: ANTHROPIC_FORMAT, index });
    } else if (b.type === "redacted_thinking") {
      details.push({ type: "reasoning.encrypted", data: b.data, format: ANTHROPIC_FORMAT, index });
    } else dropped.push(`block:${b.type}`);
  });
  return {
    role: "assistant",
    content: content.length ? content : null,
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    ...(details.length ? { reasoning_details: details } : {}),
  };
}

function toolChoiceOf(choice: NonNullable<MessagesRequest["tool_choice"]>): Json {
  const serial = choice.disable_parallel_tool_use ? { parallel_tool_calls: false } : {};
  switch (choice.type) {
    case "any":
      return { tool_choice: "required", ...serial };
    case "tool":
      return choice.name ? { tool_choice: { type: "function", function: { name: choice.name } }, ...serial } : serial;
    case "none":
      return { tool_choice: "none" };
    default: // auto, and types added later
      return { tool_choice: "auto", ...serial };
  }
}

/** `thinking` as the unified reasoning field: a budget when enabled; a type this gateway does not know yet still thinks. */
function reasoningOf(thinking: MessagesRequest["thinking"]): Json | undefined {
  if (!thinking || thinking.type === "disabled") return undefined;
  if (thinking.type === "enabled" && thinking.budget_tokens) return { max_tokens: thinking.budget_tokens };
  return { effort: "medium" };
}
