import type { ChatCompletionRequest, ChatMessage, ContentPart, ResponseFormat, ToolChoice } from "@switchyard/schemas";
import { maxOutputTokens, mediaTypeFromUrl, parseDataUrl, partsOf, stopList, textOf, toolArguments } from "../shared/content.ts";
import { Turns } from "../shared/turns.ts";
import { thinkingBudget, wantsReasoning } from "../shared/reasoning.ts";
import { UntranslatableRequest } from "../shared/untranslatable.ts";
import type { UpstreamRequest, UpstreamTarget } from "../types.ts";
import { toGeminiParameters, toGeminiSchema } from "./schema.ts";

type Part = Record<string, unknown>;

/**
 * An OpenAI chat request as `generateContent` (or `streamGenerateContent?alt=sse`):
 * system messages → systemInstruction, turns → contents with roles user/model,
 * tool calls and results → functionCall / functionResponse parts, sampling and
 * JSON mode → generationConfig. The key travels in a header, never in the URL.
 */
export function buildGeminiRequest(req: ChatCompletionRequest, target: UpstreamTarget, stream: boolean): UpstreamRequest {
  const { system, contents } = translateMessages(req.messages);
  const body: Record<string, unknown> = { contents };
  if (system.length) body.systemInstruction = { parts: system };
  if (req.tools?.length) {
    body.tools = [
      {
        functionDeclarations: req.tools.map((t) => {
          const parameters = toGeminiParameters(t.function.parameters);
          return {
            name: t.function.name,
            ...(t.function.description ? { description: t.function.description } : {}),
            ...(parameters ? { parameters } : {}),
          };
        }),
      },
    ];
    const config = functionCallingConfig(req.tool_choice);
    if (config) body.toolConfig = { functionCallingConfig: config };
  }
  const generationConfig = generationConfigOf(req);
  if (Object.keys(generationConfig).length) body.generationConfig = generationConfig;

  const base = target.baseUrl.replace(/\/$/, "");
  const model = encodeURIComponent(target.upstreamModel);
  const url = stream ? `${base}/models/${model}:streamGenerateContent?alt=sse` : `${base}/models/${model}:generateContent`;
  const headers: Record<string, string> = { "content-type": "application/json", accept: stream ? "text/event-stream" : "application/json" };
  if (target.apiKey) headers["x-goog-api-key"] = target.apiKey;
  return { url, headers, body: JSON.stringify(body) };
}

function translateMessages(messages: ChatMessage[]): { system: Part[]; contents: Array<{ role: string; parts: Part[] }> } {
  const system: Part[] = [];
  const turns = new Turns<"user" | "model", Part>();
  const push = turns.push.bind(turns);
  // Gemini's functionResponse names the function; OpenAI's tool message only names the call.
  const functionOfCall = new Map<string, string>();
  messages.forEach((m, i) => {
    switch (m.role) {
      case "system":
      case "developer": {
        const text = textOf(m.content);
        if (text) system.push({ text });
        break;
      }
      case "user":
        push("user", partsOf(m.content).flatMap((part, j) => userPart(part, `messages[${i}].content[${j}]`)));
        break;
      case "assistant": {
        const parts: Part[] = [];
        const text = textOf(m.content);
        if (text) parts.push({ text });
        m.tool_calls?.forEach((call, j) => {
          functionOfCall.set(call.id, call.function.name);
          parts.push({ functionCall: { name: call.function.name, args: toolArguments(call.function.arguments, `messages[${i}].tool_calls[${j}]`) } });
        });
        push("model", parts);
        break;
      }
      case "tool": {
        const name = functionOfCall.get(m.tool_call_id) ?? m.name;
        if (!name) {
          throw new UntranslatableRequest(`messages[${i}]: tool_call_id ${m.tool_call_id} matches no earlier assistant tool call`);
        }
        // Gemini's convention: the function's output under "output".
        push("user", [{ functionResponse: { name, response: { output: textOf(m.content) } } }]);
        break;
      }
    }
  });
  return { system, contents: turns.list.map((t) => ({ role: t.role, parts: t.items })) };
}

function userPart(part: ContentPart, where: string): Part[] {
  switch (part.type) {
    case "text":
      return part.text ? [{ text: part.text }] : [];
    case "image_url": {
      const url = part.image_url.url;
      const inline = parseDataUrl(url);
      if (inline) return [{ inlineData: { mimeType: inline.mediaType, data: inline.data } }];
      if (/^https?:\/\//i.test(url)) return [{ fileData: { mimeType: mediaTypeFromUrl(url), fileUri: url } }];
      throw new UntranslatableRequest(`${where}: an image must be an http(s) URL or a base64 data URL`);
    }
    case "input_audio":
      return [{ inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } }];
    case "file": {
      const inline = part.file.file_data ? parseDataUrl(part.file.file_data) : null;
      if (inline) return [{ inlineData: { mimeType: inline.mediaType, data: inline.data } }];
      throw new UntranslatableRequest(`${where}: Gemini accepts files only as base64 data URLs`);
    }
  }
}

function functionCallingConfig(choice: ToolChoice | undefined): Record<string, unknown> | undefined {
  if (choice === "none") return { mode: "NONE" };
  if (choice === "auto") return { mode: "AUTO" };
  if (choice === "required") return { mode: "ANY" };
  if (typeof choice === "object") return { mode: "ANY", allowedFunctionNames: [choice.function.name] };
  return undefined;
}

function generationConfigOf(req: ChatCompletionRequest): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (req.temperature !== undefined) config.temperature = req.temperature;
  if (req.top_p !== undefined) config.topP = req.top_p;
  if (req.top_k !== undefined) config.topK = req.top_k;
  const max = maxOutputTokens(req);
  if (max !== undefined) config.maxOutputTokens = max;
  const stop = stopList(req.stop);
  if (stop) config.stopSequences = stop;
  if (req.seed !== undefined) config.seed = req.seed;
  if (req.presence_penalty !== undefined) config.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty !== undefined) config.frequencyPenalty = req.frequency_penalty;
  Object.assign(config, jsonMode(req.response_format));
  // reasoning: a thinking budget, with thought summaries unless the client excludes them; effort "none" turns thinking off
  const reasoning = req.reasoning;
  if (reasoning?.effort === "none") config.thinkingConfig = { thinkingBudget: 0 };
  else if (wantsReasoning(reasoning)) {
    config.thinkingConfig = { thinkingBudget: thinkingBudget(reasoning, max ?? 8192), includeThoughts: reasoning.exclude !== true };
  }
  return config;
}

function jsonMode(format: ResponseFormat | undefined): Record<string, unknown> {
  if (format?.type === "json_object") return { responseMimeType: "application/json" };
  if (format?.type === "json_schema") {
    const schema = toGeminiSchema(format.json_schema.schema);
    return { responseMimeType: "application/json", ...(schema ? { responseSchema: schema } : {}) };
  }
  return {};
}
