import { badRequest, isUnknownVariant, type ReasoningDetail, type ResponsesContentPart, type ResponsesItem, type ResponsesRequest } from "@switchyard/schemas";
import { detailsFromEncrypted } from "./reasoning-carry.ts";

type Json = Record<string, unknown>;

/**
 * A Responses API request as the gateway's chat request. Stateless: the conversation is
 * what `input` holds. `instructions` → a system message; message items → messages;
 * function_call items → the assistant's tool_calls (consecutive calls share one turn);
 * function_call_output → tool messages; reasoning items → reasoning_details of the next
 * assistant turn (our own encrypted_content carries Anthropic's signed blocks). Hosted
 * tools and item or content types the chat request cannot carry are dropped and named.
 */
export function chatFromResponses(req: ResponsesRequest): { chat: Json; dropped: string[] } {
  if (req.previous_response_id) {
    throw badRequest(
      "previous_response_id is not supported: switchyard's Responses API is stateless and stores no responses. Send the whole conversation in `input` (with store: false).",
      { param: "previous_response_id" },
    );
  }
  const dropped: string[] = [];
  const messages: Json[] = [];
  if (req.instructions) messages.push({ role: "system", content: req.instructions });
  if (typeof req.input === "string") messages.push({ role: "user", content: req.input });
  else new Conversation(messages, dropped).addAll(req.input);

  const chat: Json = { model: req.model, messages };
  const tools = (req.tools ?? []).flatMap((t): Json[] => {
    if (isUnknownVariant(t)) {
      dropped.push(`tool:${t.type}`);
      return [];
    }
    const fn: Json = { name: t.name };
    if (t.description) fn.description = t.description;
    if (t.parameters) fn.parameters = t.parameters;
    if (typeof t.strict === "boolean") fn.strict = t.strict;
    return [{ type: "function", function: fn }];
  });
  if (tools.length) {
    chat.tools = tools;
    const choice = toolChoiceOf(req.tool_choice);
    if (choice) chat.tool_choice = choice;
    if (typeof req.parallel_tool_calls === "boolean") chat.parallel_tool_calls = req.parallel_tool_calls;
  }
  const format = req.text?.format;
  if (format && !isUnknownVariant(format) && format.type !== "text") {
    chat.response_format =
      format.type === "json_object"
        ? { type: "json_object" }
        : { type: "json_schema", json_schema: { name: format.name, schema: format.schema, ...(format.description ? { description: format.description } : {}), ...(typeof format.strict === "boolean" ? { strict: format.strict } : {}) } };
  }
  if (req.reasoning?.effort) chat.reasoning = { effort: req.reasoning.effort };
  if (req.max_output_tokens) chat.max_tokens = req.max_output_tokens;
  if (typeof req.temperature === "number") chat.temperature = req.temperature;
  if (typeof req.top_p === "number") chat.top_p = req.top_p;
  if (req.user) chat.user = req.user;
  if (req.prompt_cache_key) chat.prompt_cache_key = req.prompt_cache_key;
  if (req.stream) chat.stream = true;
  if (req.models) chat.models = req.models;
  if (req.provider) chat.provider = req.provider;
  return { chat, dropped };
}

/** Builds chat messages from items, merging what one assistant turn said. */
class Conversation {
  private pendingReasoning: ReasoningDetail[] = [];

  constructor(
    private readonly messages: Json[],
    private readonly dropped: string[],
  ) {}

  addAll(items: ResponsesItem[]): void {
    for (const item of items) this.add(item);
  }

  private add(item: ResponsesItem): void {
    if (isUnknownVariant(item)) {
      this.dropped.push(`item:${item.type}`);
      return;
    }
    switch (item.type) {
      case "message":
        if (item.role === "assistant") {
          const text = textOf(item.content, this.dropped);
          const turn = this.assistantTurn(true);
          turn.content = typeof turn.content === "string" ? turn.content + text : text;
        } else this.messages.push({ role: item.role, content: userContentOf(item.content, this.dropped) });
        break;
      case "function_call": {
        const turn = this.assistantTurn(false);
        turn.tool_calls = [...((turn.tool_calls as Json[] | undefined) ?? []), { id: item.call_id, type: "function", function: { name: item.name, arguments: item.arguments } }];
        break;
      }
      case "function_call_output":
        this.messages.push({ role: "tool", tool_call_id: item.call_id, content: textOf(item.output, this.dropped) });
        break;
      case "reasoning": {
        const carried = item.encrypted_content ? detailsFromEncrypted(item.encrypted_content) : null;
        if (carried) this.pendingReasoning.push(...carried);
        break;
      }
    }
  }

  /** The assistant turn to add to: the last message if it is one still open to it, else a new one. */
  private assistantTurn(forText: boolean): Json {
    const last = this.messages.at(-1);
    const reusable = last?.role === "assistant" && !(forText && last.tool_calls);
    const turn: Json = reusable ? last : { role: "assistant", content: null };
    if (!reusable) this.messages.push(turn);
    if (this.pendingReasoning.length) {
      turn.reasoning_details = [...((turn.reasoning_details as ReasoningDetail[] | undefined) ?? []), ...this.pendingReasoning];
      this.pendingReasoning = [];
    }
    return turn;
  }
}

function userContentOf(content: string | ResponsesContentPart[], dropped: string[]): string | Json[] {
  if (typeof content === "string") return content;
  return content.flatMap((p): Json[] => {
    if (isUnknownVariant(p)) dropped.push(`content:${p.type}`);
    else if (p.type === "input_text" || p.type === "output_text") return [{ type: "text", text: p.text }];
    else if (p.type === "input_image" && p.image_url) return [{ type: "image_url", image_url: { url: p.image_url, ...(isDetail(p.detail) ? { detail: p.detail } : {}) } }];
    else dropped.push(`content:${p.type}`);
    return [];
  });
}

function textOf(content: string | ResponsesContentPart[], dropped: string[]): string {
  if (typeof content === "string") return content;
  return content
    .map((p) => {
      if (!isUnknownVariant(p) && (p.type === "input_text" || p.type === "output_text")) return p.text;
      if (!isUnknownVariant(p) && p.type === "refusal") return p.refusal;
      dropped.push(`content:${p.type}`);
      return "";
    })
    .join("");
}

const isDetail = (d: unknown): d is "auto" | "low" | "high" => d === "auto" || d === "low" || d === "high";

function toolChoiceOf(choice: ResponsesRequest["tool_choice"]): Json | string | undefined {
  if (choice === "auto" || choice === "none" || choice === "required") return choice;
  if (choice && typeof choice === "object" && choice.type === "function" && choice.name) return { type: "function", function: { name: choice.name } };
  return undefined; // a hosted tool or a newer form: the model chooses
}
