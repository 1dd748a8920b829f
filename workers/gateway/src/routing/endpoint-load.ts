import { endpointHealthKey } from "@switchyard/router";
import type { Committed } from "../inference/failover.ts";
import { startInFlight } from "./in-flight.ts";
import { observeRateLimit } from "./rate-limits.ts";

/**
 * What routing learns when an endpoint answers: its rate-limit headers (for the
 * hosted key, or the workspace's own key when BYOK) and one more request in flight
 * on it until the request is settled (health/record-outcome.ts ends it).
 */
export function noteCommitted(committed: Pick<Committed, "planned" | "response" | "byok">, generationId: string, workspaceId: string): void {
  const key = endpointHealthKey(committed.planned.endpoint);
  observeRateLimit(key, committed.response.headers, committed.byok ? workspaceId : undefined);
  startInFlight(generationId, key);
}
