/**
 * Scenario directives: per-request fault injection that travels inside the
 * prompt (`[mock:status=500]`), so a test can steer the mock through the whole
 * gateway without touching upstream headers. The same grammar is accepted in
 * the `x-mock-scenario` header and in string script steps.
 */
import type { MockScenario, MockScriptStep } from "./types.ts";

export const SCENARIO_HEADER = "x-mock-scenario";

const DIRECTIVE_RE = /\s*\[mock:([^\]]*)\]/gi;

export class DirectiveError extends Error {
  override name = "DirectiveError";
}

type NumericKey = "status" | "retryAfter" | "latency" | "chunkDelay" | "endDelay" | "chunks" | "cut" | "stall" | "errorEvent" | "cached" | "cacheWrite" | "reasoning";

const NUMERIC_KEYS: Record<string, NumericKey> = {
  status: "status",
  retry_after: "retryAfter",
  latency: "latency",
  chunk_delay: "chunkDelay",
  end_delay: "endDelay",
  chunks: "chunks",
  cut: "cut",
  stall: "stall",
  error_event: "errorEvent",
  cached: "cached",
  cache_write: "cacheWrite",
  reasoning: "reasoning",
};

/**
 * Parses "key=value,key=value,flag". Unknown keys and bad values throw, because
 * a typo silently ignored would make a fault-injection test pass for the wrong reason.
 */
export function parseDirectives(spec: string): MockScenario {
  const out: MockScenario = {};
  for (const raw of spec.split(/[,;]/)) {
    const item = raw.trim();
    if (!item || item.toLowerCase() === "ok") continue;
    const eq = item.indexOf("=");
    const key = (eq === -1 ? item : item.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? undefined : item.slice(eq + 1).trim();
    if (key === "hang" || key === "malformed" || key === "blocked") {
      if (value !== undefined && !/^(1|true)$/i.test(value)) {
        if (/^(0|false)$/i.test(value)) continue;
        throw new DirectiveError(`mock directive "${key}" takes no value or true/false`);
      }
      out[key] = true;
      continue;
    }
    const field = NUMERIC_KEYS[key];
    if (!field) throw new DirectiveError(`unknown mock directive "${key}"`);
    if (value === undefined || !/^\d+$/.test(value)) {
      throw new DirectiveError(`mock directive "${key}" needs a non-negative integer value`);
    }
    const n = Number(value);
    if (field === "status" && (n < 100 || n > 599)) throw new DirectiveError(`mock status ${n} is not an HTTP status`);
    if (field === "chunks" && n < 1) throw new DirectiveError("mock directive chunks must be at least 1");
    out[field] = n;
  }
  return out;
}

/** Pulls every `[mock:…]` block out of a message text; returns the cleaned text too. */
export function extractDirectives(text: string): { text: string; scenario: MockScenario } {
  let scenario: MockScenario = {};
  const cleaned = text.replace(DIRECTIVE_RE, (_match, spec: string) => {
    scenario = { ...scenario, ...parseDirectives(spec) };
    return "";
  });
  return { text: cleaned.trim(), scenario: scenario };
}

export function scenarioFromStep(step: MockScriptStep | undefined): MockScenario {
  if (step === undefined) return {};
  return typeof step === "string" ? parseDirectives(step) : { ...step };
}

/** Later sources win: message < header < script step. */
export function mergeScenarios(...parts: MockScenario[]): MockScenario {
  const out: MockScenario = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
