import type { ProviderAdapter, UpstreamFailure } from "@switchyard/providers";

/**
 * A throw in the gateway's own translation code (building a provider's request, reading a
 * provider's error or answer into OpenAI's shape) that is neither the caller's input refused
 * (UntranslatableRequest) nor the provider's answer found invalid (MalformedUpstreamResponse,
 * JSON that does not parse): a gateway bug. Told apart from network errors, it is a 500 that
 * ends the request and never counts against the provider's health.
 */
export class TranslationFault extends Error {
  override name = "TranslationFault";
  constructor(readonly original: unknown) {
    super("translation failed");
  }
}

export const asTranslationFault = (error: unknown): TranslationFault => (error instanceof TranslationFault ? error : new TranslationFault(error));

/** Runs translation code: anything it throws becomes a TranslationFault, so no one takes it for a network error. */
export function translating<T>(translate: () => T): T {
  try {
    return translate();
  } catch (error) {
    throw asTranslationFault(error);
  }
}

/** The adapter with its stream parser's throws marked as translation faults (no closure per event: this is the hot path). */
export function withTranslationFaults(adapter: ProviderAdapter): ProviderAdapter {
  return {
    ...adapter,
    createStreamParser: () => {
      const parser = adapter.createStreamParser();
      return {
        usageSoFar: parser.usageSoFar?.bind(parser),
        push(event) {
          try {
            return parser.push(event);
          } catch (error) {
            throw asTranslationFault(error);
          }
        },
      };
    },
  };
}

/** HTTP status of a gateway fault: an upstream's own 500 is reported as 502, so this one is never the provider's. */
export const GATEWAY_FAULT_STATUS = 500;

export function gatewayFault(fault: TranslationFault): UpstreamFailure {
  // The name only: a message can quote the prompt or the answer (a SyntaxError does), and ZDR forbids that in logs.
  console.error("gateway translation fault", fault.original instanceof Error ? fault.original.name : typeof fault.original);
  return { status: GATEWAY_FAULT_STATUS, message: "The gateway failed to translate the request or the provider's answer (a gateway bug; the provider is not blamed)", retryable: false };
}
