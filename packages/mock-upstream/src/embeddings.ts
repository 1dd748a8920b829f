/**
 * OpenAI's `POST /embeddings`: deterministic unit vectors seeded by a hash of each
 * input, as floats or as base64 little-endian float32 (what the `openai` SDK asks
 * for by default). prompt_tokens follows usage.ts: ceil(characters / 4) per text,
 * the length of each pre-tokenised input.
 */
import { BAD_KEY_AUTH } from "./constants.ts";
import { DirectiveError, SCENARIO_HEADER, extractDirectives, mergeScenarios, parseDirectives } from "./directives.ts";
import { errorResponse } from "./errors.ts";
import { fnv1a } from "./hash.ts";
import { sleep } from "./sleep.ts";
import { charTokens } from "./usage.ts";

export const DEFAULT_EMBEDDING_DIMENSIONS = 16;
const MAX_DIMENSIONS = 3072;

type Input = string | number[];

function inputsOf(input: unknown): Input[] | undefined {
  const isTokens = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x));
  if (typeof input === "string") return [input];
  if (isTokens(input)) return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === "string" || isTokens(x))) return input as Input[];
  return undefined;
}

/** A unit vector from a 32-bit seed (mulberry32), the same for the same input everywhere. */
export function mockVector(text: string, dimensions: number): number[] {
  let seed = parseInt(fnv1a(text), 16);
  const values: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    values.push(((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1);
  }
  const norm = Math.hypot(...values) || 1;
  // float32 precision, so the float and base64 encodings decode to the same numbers
  return values.map((v) => Math.fround(v / norm));
}

export function toBase64Float32(vector: number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export async function embeddingsResponse(request: Request): Promise<Response> {
  let body: { model?: unknown; input?: unknown; encoding_format?: unknown; dimensions?: unknown };
  try {
    body = JSON.parse(await request.text());
  } catch {
    return errorResponse(400, { message: "We could not parse the JSON body of your request." });
  }
  const inputs = inputsOf(body?.input);
  let scenario;
  let cleaned: Input[];
  try {
    const read = (inputs ?? []).map((i) => (typeof i === "string" ? extractDirectives(i) : { text: i, scenario: {} }));
    cleaned = read.map((r) => r.text);
    scenario = mergeScenarios(...read.map((r) => r.scenario), parseDirectives(request.headers.get(SCENARIO_HEADER) ?? ""));
  } catch (err) {
    if (err instanceof DirectiveError) return errorResponse(400, { message: err.message, param: "input" });
    throw err;
  }
  if (scenario.latency) await sleep(scenario.latency, request.signal);
  if (request.headers.get("authorization") === BAD_KEY_AUTH) return errorResponse(401);
  if (scenario.status !== undefined && (scenario.status < 200 || scenario.status >= 300)) {
    return errorResponse(scenario.status, { retryAfter: scenario.retryAfter });
  }
  if (typeof body.model !== "string" || !body.model) return errorResponse(400, { message: "you must provide a model parameter", param: "model" });
  if (!inputs) return errorResponse(400, { message: "'input' must be a non-empty string, array of strings or array of token arrays", param: "input" });
  const dimensions = body.dimensions === undefined ? DEFAULT_EMBEDDING_DIMENSIONS : Number(body.dimensions);
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
    return errorResponse(400, { message: `dimensions must be an integer from 1 to ${MAX_DIMENSIONS}`, param: "dimensions" });
  }

  const base64 = body.encoding_format === "base64";
  const data = cleaned.map((input, index) => {
    const vector = mockVector(typeof input === "string" ? input : input.join(","), dimensions);
    return { object: "embedding", index, embedding: base64 ? toBase64Float32(vector) : vector };
  });
  const tokens = inputs.reduce((n, input) => n + (typeof input === "string" ? charTokens(input) : input.length), 0);
  return new Response(JSON.stringify({ object: "list", data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }), {
    headers: { "content-type": "application/json" },
  });
}
