/**
 * A wire format the mock speaks. Every format shares one brain: its request is
 * read into the OpenAI-shaped ChatRequest that buildAnswer understands, and the
 * answer is rendered back in the format's own JSON and SSE, so the three formats
 * give the same answers, token counts and faults.
 */
import type { ErrorOptions } from "./errors.ts";
import type { CompletionMeta, StreamPlan } from "./stream.ts";
import type { Answer, ChatRequest, MockScenario, Usage } from "./types.ts";

export interface NativeRequest {
  request: Request;
  /** The parsed JSON body ({} when absent or not an object). */
  body: Record<string, unknown>;
  /** The body was sent but is not JSON. */
  unparsable: boolean;
}

export interface Dialect {
  /** Prefix of response ids (`chatcmpl-mock-`, `msg_mock_`, …). */
  idPrefix: string;
  /** The native request as the shared ChatRequest. */
  toChat(native: NativeRequest): ChatRequest;
  /** The request carries the credentials the mock treats as wrong ("bad-key"). */
  rejectsKey(request: Request): boolean;
  /** The provider's answer to a refused key (not always a 401: Google says 400). */
  badKeyResponse(): Response;
  /** An error response in the provider's shape, for a forced status or a rejected request. */
  errorResponse(status: number, opts?: ErrorOptions): Response;
  /** The provider's own validation, run after faults; a Response rejects the request. */
  validate(native: NativeRequest, chat: ChatRequest): Response | undefined;
  wantsStream(chat: ChatRequest): boolean;
  /** Prompt tokens this request reads from and writes to the mock's prompt cache, for formats that cache. */
  promptCache?(native: NativeRequest, chat: ChatRequest): { cached: number; written: number };
  /** The complete (non-streamed) answer as JSON text. */
  renderBody(answer: Answer, usage: Usage, meta: CompletionMeta, scenario: MockScenario): string;
  planStream(answer: Answer, usage: Usage, meta: CompletionMeta, chat: ChatRequest, scenario: MockScenario): StreamPlan;
}
