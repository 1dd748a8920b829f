/**
 * Gateway errors in OpenRouter's shape: {"error":{"code":<http status>,"message":…,"metadata":{…}}}.
 * Every failure the gateway reports to a client goes through this one type.
 */
export type ErrorMetadata = Record<string, unknown>;

export interface ErrorBody {
  /** `type`: a machine-readable reason where clients look for one by OpenAI's name (`context_length_exceeded`). */
  error: { code: number; message: string; type?: string; metadata?: ErrorMetadata };
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly metadata?: ErrorMetadata,
    readonly type?: string,
  ) {
    super(message);
    this.name = "GatewayError";
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.status,
        message: this.message,
        ...(this.type ? { type: this.type } : {}),
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
/**
 * The prompt cannot fit the model's context: refused before any provider is called. `code` in
 * metadata and `type` carry OpenAI's name for it, since `code` itself is the HTTP status here.
 */
export const contextLengthExceeded = (message: string, metadata: ErrorMetadata = {}) =>
  new GatewayError(400, message, { code: "context_length_exceeded", ...metadata }, "context_length_exceeded");
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
