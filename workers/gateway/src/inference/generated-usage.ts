import type { StreamEvent, TokenUsage } from "@switchyard/providers";
import { deltaBytes, tokensOfBytes } from "./relayed-tokens.ts";

type Delta = Extract<StreamEvent, { type: "delta" }>["delta"];

/**
 * What a stream has generated so far, for a client that leaves before its end: it
 * pays for that, as the provider bills it (no charge on failure is about upstream
 * failures). The provider's own figures where it reported them before the end,
 * the gateway's count (relayed-tokens.ts) for the rest:
 * - prompt: the latest reported prompt tokens, else the gateway's count of the prompt;
 * - completion: the latest reported completion tokens plus the text relayed after
 *   that report (Anthropic reports 1 output token in message_start, before any
 *   text), else all the text relayed.
 * A stream that relayed nothing generated nothing the client saw: null, no charge.
 */
export class GeneratedUsage {
  private relayedBytes = 0;
  /** Bytes of deltas translated but not yet written to the client. */
  private pendingBytes = 0;
  private reported: TokenUsage | null = null;
  /** How many bytes had been relayed when the provider reported `reported` (its report covers them). */
  private bytesAtReport = 0;

  /** A delta about to be written. */
  add(delta: Delta): void {
    this.pendingBytes += deltaBytes(delta);
  }

  /** The provider reported its usage (cumulative): it covers every delta before it. */
  report(usage: TokenUsage): void {
    this.reported = usage;
    this.bytesAtReport = this.relayedBytes + this.pendingBytes;
  }

  /** The deltas added so far reached the client. */
  relayed(): void {
    this.relayedBytes += this.pendingBytes;
    this.pendingBytes = 0;
  }

  /** The usage to bill; `countPrompt` runs only when the provider reported no prompt tokens. */
  usage(countPrompt: () => number): TokenUsage | null {
    if (this.relayedBytes === 0) return null;
    const sinceReport = tokensOfBytes(Math.max(0, this.relayedBytes - this.bytesAtReport));
    const reported = this.reported;
    if (!reported) return { promptTokens: countPrompt(), completionTokens: tokensOfBytes(this.relayedBytes) };
    return {
      ...reported,
      promptTokens: reported.promptTokens > 0 ? reported.promptTokens : countPrompt(),
      completionTokens: reported.completionTokens + sinceReport,
    };
  }
}
