/**
 * The request uses something this provider's wire format cannot carry (audio for
 * Claude, a tool call whose arguments are not a JSON object, …). The gateway
 * reports it as a 400 naming the provider, and may try another endpoint.
 */
export class UntranslatableRequest extends Error {
  override name = "UntranslatableRequest";
}
