/**
 * A generateContent request read as the shared ChatRequest: systemInstruction →
 * system message, role "model" → assistant, functionCall parts → tool_calls,
 * functionResponse parts → tool messages, generationConfig → sampling and JSON mode.
 */
import type { ChatMessage, ChatRequest, ToolCall } from "../types.ts";

interface Part {
  text?: unknown;
  functionCall?: { name?: unknown; args?: unknown };
  functionResponse?: { name?: unknown; response?: unknown };
}
interface Content {
  role?: unknown;
  parts?: unknown;
}

const partsOf = (content: unknown): Part[] => {
  const parts = (content as Content | null)?.parts;
  return Array.isArray(parts) ? (parts.filter((p) => p && typeof p === "object") as Part[]) : [];
};

const textParts = (parts: Part[]) => parts.filter((p) => typeof p.text === "string").map((p) => ({ type: "text", text: p.text as string }));

/** What a function returned, as text: the `output` (or `content`) string when there is one. */
function responseText(response: unknown): string {
  const r = response as { output?: unknown; content?: unknown } | null;
  if (typeof r?.output === "string") return r.output;
  if (typeof r?.content === "string") return r.content;
  return JSON.stringify(response ?? {});
}

export function chatFromGemini(body: Record<string, unknown>, model: string, stream: boolean): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = textParts(partsOf(body.systemInstruction));
  if (system.length) messages.push({ role: "system", content: system.map((p) => p.text).join(" ") });
  let calls = 0;
  for (const content of Array.isArray(body.contents) ? (body.contents as Content[]) : []) {
    const parts = partsOf(content);
    if (content?.role === "model") {
      const toolCalls: ToolCall[] = parts
        .filter((p) => p.functionCall)
        .map((p) => ({ id: `call_${calls++}`, type: "function", function: { name: String(p.functionCall!.name), arguments: JSON.stringify(p.functionCall!.args ?? {}) } }));
      const text = textParts(parts).map((p) => p.text).join("");
      messages.push({ role: "assistant", content: text || null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) });
      continue;
    }
    for (const p of parts.filter((p) => p.functionResponse)) {
      messages.push({ role: "tool", tool_call_id: String(p.functionResponse!.name), content: responseText(p.functionResponse!.response) });
    }
    const rest = parts.filter((p) => !p.functionResponse);
    if (rest.length) messages.push({ role: "user", content: textParts(rest) });
  }

  const config = (body.generationConfig ?? {}) as Record<string, unknown>;
  const schema = config.responseSchema ?? config.responseJsonSchema;
  const responseFormat =
    config.responseMimeType === "application/json"
      ? schema
        ? { type: "json_schema", json_schema: { name: "response", schema } }
        : { type: "json_object" }
      : undefined;
  return {
    model,
    messages,
    stream,
    tools: functionDeclarations(body.tools),
    tool_choice: toolChoice((body.toolConfig as { functionCallingConfig?: { mode?: unknown; allowedFunctionNames?: unknown } } | undefined)?.functionCallingConfig),
    max_tokens: config.maxOutputTokens,
    stop: config.stopSequences,
    response_format: responseFormat,
    // thought summaries asked for: the mock thinks first, as Gemini 2.5 does
    thinking: (config.thinkingConfig as { includeThoughts?: unknown } | undefined)?.includeThoughts === true ? { type: "enabled" } : undefined,
  };
}

function functionDeclarations(tools: unknown): unknown[] | undefined {
  if (!Array.isArray(tools)) return undefined;
  return tools.flatMap((t: { functionDeclarations?: unknown }) =>
    Array.isArray(t?.functionDeclarations)
      ? t.functionDeclarations.map((d: { name?: unknown; description?: unknown; parameters?: unknown }) => ({
          type: "function",
          function: { name: d?.name, description: d?.description, parameters: d?.parameters },
        }))
      : [],
  );
}

function toolChoice(config: { mode?: unknown; allowedFunctionNames?: unknown } | undefined): unknown {
  const names = Array.isArray(config?.allowedFunctionNames) ? config.allowedFunctionNames : [];
  switch (config?.mode) {
    case "NONE":
      return "none";
    case "ANY":
      return names.length === 1 ? { type: "function", function: { name: names[0] } } : "required";
    case "AUTO":
      return "auto";
    default:
      return undefined;
  }
}
