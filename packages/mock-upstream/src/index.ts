/**
 * @switchyard/mock-upstream: a deterministic fake provider speaking OpenAI Chat
 * Completions and embeddings, Anthropic Messages and Google Gemini, with the same
 * answers in each. Web-standard only, so it runs in-process inside a Worker; the
 * Node HTTP adapter lives in the "./node" export.
 */
export { handleMockUpstream } from "./handler.ts";
export { parseDirectives, extractDirectives, SCENARIO_HEADER } from "./directives.ts";
export { MockCutError } from "./paced-stream.ts";
export { LOREM_TEXT } from "./answer.ts";
export { MOCK_MODELS } from "./models.ts";
export { CREATED as MOCK_CREATED } from "./constants.ts";
export type { MockOptions, MockScenario, MockScriptStep, RecordedRequest } from "./types.ts";
export { DEFAULT_EMBEDDING_DIMENSIONS } from "./embeddings.ts";
