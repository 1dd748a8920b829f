/**
 * The mock upstream itself: a Web-standard fetch handler (no Node APIs) so it
 * runs in-process inside workerd as well as behind the Node adapter. It speaks
 * OpenAI (`…/chat/completions`, `…/embeddings`), Anthropic (`…/messages`) and
 * Gemini (`…/models/{model}:generateContent` and `:streamGenerateContent`).
 *
 * Order of a chat request, in every format: parse body → collect the scenario
 * (message directive < x-mock-scenario header < script step) → hang / latency →
 * auth → forced status → validation → answer. Faults come before validation so a
 * bare `{}` body with a scenario header is enough to exercise an error path.
 */
import { anthropicDialect } from "./anthropic/dialect.ts";
import type { Dialect, NativeRequest } from "./dialect.ts";
import { DirectiveError, SCENARIO_HEADER, extractDirectives, mergeScenarios, parseDirectives, scenarioFromStep } from "./directives.ts";
import { embeddingsResponse } from "./embeddings.ts";
import { errorResponse } from "./errors.ts";
import { geminiDialect } from "./gemini/dialect.ts";
import { asMessages, contentText, lastUserMessage } from "./messages.ts";
import { modelsResponse } from "./models.ts";
import { openaiDialect } from "./openai-dialect.ts";
import { answerResponse } from "./respond.ts";
import { sleep, waitForAbort } from "./sleep.ts";
import type { MockOptions, MockScenario } from "./types.ts";

const GEMINI_PATH = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export async function handleMockUpstream(request: Request, options: MockOptions = {}): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, "");
  if (request.method === "POST") {
    if (path.endsWith("/chat/completions")) return serveChat(request, options, openaiDialect);
    if (path.endsWith("/messages")) return serveChat(request, options, anthropicDialect);
    const gemini = GEMINI_PATH.exec(path);
    if (gemini) return serveChat(request, options, geminiDialect(decodeURIComponent(gemini[1]!), gemini[2] === "streamGenerateContent"));
    if (path.endsWith("/embeddings")) return embeddingsResponse(request);
  }
  if (request.method === "GET" && path.endsWith("/models")) {
    return openaiDialect.rejectsKey(request) ? errorResponse(401) : modelsResponse();
  }
  return errorResponse(404, { message: `Invalid URL (${request.method} ${url.pathname})` });
}

async function serveChat(request: Request, options: MockOptions, dialect: Dialect): Promise<Response> {
  // Consume the script step first so every chat request takes exactly one, whatever happens next.
  const step = options.script?.shift();
  const raw = await request.text();
  const native: NativeRequest = { request, body: {}, unparsable: false };
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) native.body = parsed as Record<string, unknown>;
  } catch {
    native.unparsable = true;
  }
  const body = dialect.toChat(native);
  const messages = asMessages(body.messages);

  let scenario: MockScenario;
  let userText: string;
  try {
    const fromMessage = extractDirectives(contentText(lastUserMessage(messages)?.content));
    userText = fromMessage.text;
    scenario = mergeScenarios(
      fromMessage.scenario,
      parseDirectives(request.headers.get(SCENARIO_HEADER) ?? ""),
      scenarioFromStep(step),
    );
  } catch (err) {
    if (err instanceof DirectiveError) return dialect.errorResponse(400, { message: err.message, param: "messages" });
    throw err;
  }

  // Both reject with the abort reason when the client gives up, like a real fetch would.
  if (scenario.hang) await waitForAbort(request.signal);
  if (scenario.latency) await sleep(scenario.latency, request.signal);

  if (dialect.rejectsKey(request)) return dialect.badKeyResponse();
  if (scenario.status !== undefined && (scenario.status < 200 || scenario.status >= 300)) {
    return dialect.errorResponse(scenario.status, { retryAfter: scenario.retryAfter });
  }
  const invalid = dialect.validate(native, body);
  if (invalid) return invalid;
  // The prompt cache answers unless a directive forces the counts.
  if (dialect.promptCache && scenario.cached === undefined && scenario.cacheWrite === undefined) {
    const { cached, written } = dialect.promptCache(native, body);
    scenario = { ...scenario, ...(cached ? { cached } : {}), ...(written ? { cacheWrite: written } : {}) };
  }

  return answerResponse({ dialect, body, messages, userText, raw, scenario, signal: request.signal, cutMode: options.cutMode });
}
