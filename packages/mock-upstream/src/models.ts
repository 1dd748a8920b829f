/** The small fixed model list served on GET /v1/models. */
import { CREATED } from "./constants.ts";

export const MOCK_MODELS = ["mock-model", "mock-fast", "mock-large"] as const;

export function modelsResponse(): Response {
  const body = {
    object: "list",
    data: MOCK_MODELS.map((id) => ({ id, object: "model", created: CREATED, owned_by: "switchyard-mock" })),
  };
  return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
}
