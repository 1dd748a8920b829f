import type { Endpoint, Model } from "@switchyard/catalog";

/** One endpoint to try, in order. */
export interface PlannedAttempt {
  model: Model;
  endpoint: Endpoint;
}

/**
 * The foundation planner: the model's endpoints in catalog order.
 * Replaced by the full planner (preferences, health, ZDR/EU) in the routing issue.
 */
export function planRoute(model: Model): PlannedAttempt[] {
  return model.endpoints.map((endpoint) => ({ model, endpoint }));
}
