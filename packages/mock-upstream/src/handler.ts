/**
 * The mock upstream itself: a Web-standard fetch handler (no Node APIs) so it
 * runs in-process inside workerd as well as behind the Node adapter.
 *
 * Order of a chat request: parse body → collect the scenario (message directive <
 * x-mock-scenario header < script step) → hang / latency → auth → forced status →
 * validation → answer. Faults come before validation so a bare `{}` body with a
 * scenario header is enough to exercise an error path.
 */
import { answerResponse } from "./respond.ts";
import { BAD_KEY_AUTH } from "./constants.ts";
import { DirectiveError, SCENARIO_HEADER, extractDirectives, mergeScenarios, parseDirectives, scenarioFromStep } from "./directives.ts";
import { errorResponse } from "./errors.ts";
import { asMessages, contentText, lastUserMessage } from "./messages.ts";
import { modelsResponse } from "./models.ts";
import { sleep, waitForAbort } from "./sleep.ts";
import type { ChatRequest, MockOptions, MockScenario } from "./types.ts";

export async function handleMockUpstream(request: Request, options: MockOptions = {}): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, "");
  if (request.method === "POST" && path.endsWith("/chat/completions")) return chatCompletions(request, options);
  if (request.method === "GET" && path.endsWith("/models")) {
    return isBadKey(request) ? errorResponse(401) : modelsResponse();
  }
  return errorResponse(404, { message: `Invalid URL (${request.method} ${url.pathname})` });
}

async function chatCompletions(request: Request, options: MockOptions): Promise<Response> {
  // Consume the script step first so every chat request takes exactly one, whatever happens next.
  const step = options.script?.shift();
  const raw = await request.text();
  let parsed: unknown;
  let unparsable = false;
  try {
    parsed = raw ? JSON.parse(raw) : undefined;
  } catch {
    unparsable = true;
  }
  const body: ChatRequest = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as ChatRequest) : {};
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
    if (err instanceof DirectiveError) return errorResponse(400, { message: err.message, param: "messages" });
    throw err;
  }

  // Both reject with the abort reason when the client gives up, like a real fetch would.
  if (scenario.hang) await waitForAbort(request.signal);
  if (scenario.latency) await sleep(scenario.latency, request.signal);

  if (isBadKey(request)) return errorResponse(401);
  if (scenario.status !== undefined && (scenario.status < 200 || scenario.status >= 300)) {
    return errorResponse(scenario.status, { retryAfter: scenario.retryAfter });
  }
  if (unparsable) {
    return errorResponse(400, {
      message:
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    });
  }
  if (typeof body.model !== "string" || body.model === "") {
    return errorResponse(400, { message: "you must provide a model parameter", param: "model" });
  }
  if (!Array.isArray(body.messages)) {
    return errorResponse(400, {
      message: "Missing required parameter: 'messages'.",
      param: "messages",
      code: "missing_required_parameter",
    });
  }
  if (body.messages.length === 0) {
    return errorResponse(400, {
      message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      param: "messages",
      code: "empty_array",
    });
  }

  return answerResponse({ body, messages, userText, raw, scenario, signal: request.signal, cutMode: options.cutMode });
}

function isBadKey(request: Request): boolean {
  return request.headers.get("authorization") === BAD_KEY_AUTH;
}
