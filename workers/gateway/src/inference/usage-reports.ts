import type { SseEvent, StreamEvent, StreamParser, TokenUsage } from "@switchyard/providers";

/**
 * The adapter's stream parser, also passing on the usage a provider reports before
 * its end. Anthropic and Gemini adapters accumulate it (`usageSoFar`) and pass it on
 * only with the end marker, but a client that leaves mid-stream pays for what was
 * generated (generated-usage.ts), and the provider's own figures are the best measure
 * of that. So after each event that brought a new report, the report is passed on as
 * a usage event. OpenAI-format parsers pass their usage chunk on already: unwrapped.
 */
export function withUsageReports(parser: StreamParser): StreamParser {
  if (!parser.usageSoFar) return parser;
  let passedOn: TokenUsage | null = null;
  return {
    push(event: SseEvent): StreamEvent[] {
      const events = parser.push(event);
      const reported = parser.usageSoFar!();
      if (!reported || reported === passedOn || events.some((e) => e.type === "done" || e.type === "error")) return events;
      passedOn = reported;
      return [...events, { type: "usage", usage: reported }];
    },
  };
}
