export * from "./types.ts";
export * from "./sse.ts";
export { adapterFor } from "./registry.ts";
export { openaiAdapter } from "./openai/index.ts";
export { classify as classifyUpstreamStatus } from "./openai/errors.ts";
export { MalformedUpstreamResponse, normaliseFinishReason } from "./openai/response.ts";
export { anthropicAdapter } from "./anthropic/index.ts";
export { geminiAdapter } from "./gemini/index.ts";
export { UntranslatableRequest } from "./shared/untranslatable.ts";
