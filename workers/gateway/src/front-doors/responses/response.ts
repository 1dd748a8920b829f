import type { ChatCompletion, ReasoningDetail, ResponsesRequest, ToolCall, Usage } from "@switchyard/schemas";
import { encryptedFromDetails } from "./reasoning-carry.ts";

type Json = Record<string, unknown>;

/** What the answer object repeats of the request, and says of itself: stateless, never stored. */
export function envelope(req: ResponsesRequest, id: string, model: string, createdAt: number): Json {
  return {
    id: `resp_${id}`,
    object: "response",
    created_at: createdAt,
    status: "in_progress",
    error: null,
    incomplete_details: null,
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    model,
    output: [],
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
    store: false,
    temperature: req.temperature ?? null,
    text: { format: req.text?.format ?? { type: "text" } },
    tool_choice: req.tool_choice ?? "auto",
    tools: (req.tools ?? []).filter((t) => t.type === "function"),
    top_p: req.top_p ?? null,
    truncation: "disabled",
    usage: null,
    user: req.user ?? null,
    metadata: req.metadata ?? {},
  };
}

/** The chat usage in the Responses API's fields, with the gateway's cost. */
export function responsesUsageOf(usage: Usage | null | undefined): Json {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: input + output,
    ...(usage?.cost !== undefined ? { cost: usage.cost } : {}),
  };
}

/** How the answer ended: complete, or incomplete with OpenAI's reason. */
export function statusOf(finish: string | null | undefined): Json {
  if (finish === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finish === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

export const reasoningItem = (id: string, text: string, details: ReasoningDetail[]): Json => ({
  type: "reasoning",
  id: `rs_${id}`,
  summary: text ? [{ type: "summary_text", text }] : [],
  // Only signed blocks need carrying back; plain reasoning is in the summary.
  encrypted_content: details.some((d) => d.signature || d.type === "reasoning.encrypted") ? encryptedFromDetails(details) : null,
});

export const messageItem = (id: string, text: string, status = "completed"): Json => ({
  type: "message",
  id: `msg_${id}`,
  status,
  role: "assistant",
  content: status === "completed" ? [outputText(text)] : [],
});

export const outputText = (text: string): Json => ({ type: "output_text", text, annotations: [], logprobs: [] });

export const functionCallItem = (call: Pick<ToolCall, "id"> & { function: { name: string; arguments: string } }, status = "completed"): Json => ({
  type: "function_call",
  id: `fc_${call.id}`,
  call_id: call.id,
  name: call.function.name,
  arguments: call.function.arguments,
  status,
});

/** A chat completion as a Response object: reasoning, message and function_call output items, usage. */
export function responseFromChat(chat: ChatCompletion, req: ResponsesRequest): Json {
  const choice = chat.choices[0];
  const message = choice?.message;
  const output: Json[] = [];
  if (message?.reasoning || message?.reasoning_details?.length) output.push(reasoningItem(`${chat.id}_${output.length}`, message.reasoning ?? "", message.reasoning_details ?? []));
  if (message?.content) output.push(messageItem(`${chat.id}_${output.length}`, message.content));
  for (const call of message?.tool_calls ?? []) output.push(functionCallItem(call));
  return { ...envelope(req, chat.id, chat.model, chat.created), ...statusOf(choice?.finish_reason), output, usage: responsesUsageOf(chat.usage) };
}
