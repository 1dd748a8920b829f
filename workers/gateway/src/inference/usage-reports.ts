import type { ApiFormat } from "@switchyard/catalog";
import type { SseEvent, StreamEvent, StreamParser } from "@switchyard/providers";

/**
 * The adapter's stream parser, also passing on the usage a provider reports before
 * its end. Anthropic reports the prompt's tokens in `message_start` and the output's
 * in `message_delta`; Gemini sends cumulative `usageMetadata` on every chunk. Their
 * adapters accumulate it and pass it on only with the end marker, but a client that
 * leaves mid-stream pays for what was generated (generated-usage.ts), and the
 * provider's own figures are the best measure of that. So after an event that
 * carries usage, the parser is handed the format's end marker: for these adapters
 * that only reads out the usage accumulated so far (they keep no other state it
 * changes), and only that usage event is kept. OpenAI-format streams report usage
 * in a chunk of their own, which the adapter passes on already: unwrapped.
 */
export function withUsageReports(format: ApiFormat, parser: StreamParser): StreamParser {
  const probe = PROBES[format];
  if (!probe) return parser;
  return {
    push(event: SseEvent): StreamEvent[] {
      const events = parser.push(event);
      if (!probe.carriesUsage(event) || events.some((e) => e.type === "done" || e.type === "error")) return events;
      const usage = parser.push(probe.end).find((e) => e.type === "usage");
      return usage ? [...events, usage] : events;
    },
  };
}

const PROBES: Partial<Record<ApiFormat, { carriesUsage: (event: SseEvent) => boolean; end: SseEvent }>> = {
  anthropic: {
    carriesUsage: (e) => e.event === "message_start" || e.event === "message_delta" || /^\{\s*"type"\s*:\s*"message_(start|delta)"/.test(e.data),
    end: { event: "message_stop", data: '{"type":"message_stop"}' },
  },
  gemini: {
    carriesUsage: (e) => e.data.includes('"usageMetadata"'),
    end: { data: '{"candidates":[{"finishReason":"STOP"}]}' },
  },
};
