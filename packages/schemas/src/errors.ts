/**
 * Gateway errors in OpenRouter's shape: {"error":{"code":<http status>,"message":…,"metadata":{…}}}.
 * Every failure the gateway reports to a client goes through this one type.
 */
export type ErrorMetadata = Record<string, unknown>;

export interface ErrorBody {
  error: { code: number; message: string; metadata?: ErrorMetadata };
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly metadata?: ErrorMetadata,
  ) {
    super(message);
    this.name = "GatewayError";
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.status,
        message: this.message,
        ...(this.metadata ? { metadata: this.metadata } : {}),
      },
    };
  }
}

/**
 * Client text quoted in an error (a model id, a path, an id) is cut to `max`
 * characters: an error names what was wrong, it does not reflect megabytes back.
 */
export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export const badRequest = (message: string, metadata?: ErrorMetadata) => new GatewayError(400, message, metadata);
export const unauthorized = (message = "Missing or invalid API key") => new GatewayError(401, message);
export const paymentRequired = (message = "Insufficient credits. Add credits to continue.") => new GatewayError(402, message);
export const forbidden = (message: string) => new GatewayError(403, message);
export const notFound = (message: string, metadata?: ErrorMetadata) => new GatewayError(404, message, metadata);
export const requestTimeout = (message = "The upstream provider did not answer in time") => new GatewayError(408, message);
export const payloadTooLarge = (limitBytes: number) =>
  new GatewayError(413, `Request body is larger than the limit of ${limitBytes} bytes`);
export const rateLimited = (message: string, metadata?: ErrorMetadata) => new GatewayError(429, message, metadata);
export const upstreamError = (message: string, metadata?: ErrorMetadata) => new GatewayError(502, message, metadata);
export const noProviderAvailable = (message: string, metadata?: ErrorMetadata) => new GatewayError(503, message, metadata);
