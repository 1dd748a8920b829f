import { type Endpoint, findModel, type Model } from "@switchyard/catalog";
import { type ChatCompletionRequest, notFound, type ProviderPreferences, requestedParameters } from "@switchyard/schemas";
import { applyFilters, type EndpointFilter, preferenceFilters, tierFilter, workspaceFilters } from "./filters.ts";
import { EMPTY_HEALTH, type HealthSnapshot } from "./health.ts";
import { requestedModels, type RouteCatalog } from "./models.ts";
import { orderEndpoints, type SortBy } from "./order.ts";
import { checkPreferences } from "./preferences.ts";
import type { EndpointSignals } from "./signals.ts";
import type { Random } from "./rng.ts";

/**
 * One endpoint to try, in order. The gateway then adds the workspace's own
 * provider keys (BYOK) to the planned endpoints (workers/gateway/src/byok/targets.ts),
 * so BYOK never reaches an endpoint the planner excluded.
 */
export interface PlannedAttempt {
  model: Model;
  endpoint: Endpoint;
}

/** The workspace's routing settings (D1 columns), applied to every request of the workspace. */
export interface WorkspaceRouting {
  zdr: boolean;
  euOnly: boolean;
  preferences?: ProviderPreferences;
}

export interface PlanInput {
  request: ChatCompletionRequest;
  workspace: WorkspaceRouting;
  health?: HealthSnapshot;
  /** Measured stats, rate-limit headroom, in-flight counts (signals.ts). */
  signals?: EndpointSignals;
  /** Unix ms, for the health window. */
  now: number;
  /** Drives the weighted random order; seed it to replay a decision. */
  random?: Random;
  catalog?: RouteCatalog;
  /** What the models must produce: text for chat (the default), embeddings for `/embeddings`. */
  output?: "text" | "embeddings";
}

const VARIANT_SORT: Partial<Record<string, SortBy>> = { nitro: "throughput", floor: "price" };

/**
 * The routing planner: a pure function from the request, the catalog, the
 * workspace and the providers' health to the ordered endpoints to try.
 *
 * Per model (the first, then each fallback): keep the endpoints every rule
 * allows (variant tier, workspace EU/ZDR, then the workspace's and the
 * request's preferences, each only narrowing), then order them (see
 * orderEndpoints). Invalid preferences are a 400 naming the field; when no
 * endpoint is left for any model, a 404 names the rule that emptied the list.
 */
export function planRoute(input: PlanInput): PlannedAttempt[] {
  const { request, workspace } = input;
  const catalog = input.catalog ?? { findModel };
  const requestPrefs = checkPreferences(request.provider, "provider");
  const workspacePrefs = checkPreferences(workspace.preferences, "workspace provider_preferences");
  const parameters = requestedParameters(request);

  const attempts: PlannedAttempt[] = [];
  const emptied: Array<{ model: string; constraint: string; message: string }> = [];
  for (const { requested, model, variant } of requestedModels(request, catalog)) {
    const filters: EndpointFilter[] = [
      tierFilter(variant === "free"),
      ...workspaceFilters(workspace),
      ...preferenceFilters(workspacePrefs, parameters),
      ...preferenceFilters(requestPrefs, parameters),
    ];
    const endpoints = model.endpoints;
    const output = input.output ?? "text";
    if (!model.outputModalities.includes(output)) {
      emptied.push({ model: requested, constraint: "model.modality", message: `${requested} is not ${output === "text" ? "a chat" : "an embedding"} model` });
      continue;
    }
    if (endpoints.length === 0) {
      emptied.push({ model: requested, constraint: "model.endpoints", message: `${requested} has no endpoint` });
      continue;
    }
    const result = applyFilters(endpoints, filters, model.id);
    if ("emptiedBy" in result) {
      emptied.push({ model: requested, constraint: result.emptiedBy.constraint, message: result.message });
      continue;
    }
    // The request's ordering wishes win over the workspace's; a variant's sort wins over both.
    const order = requestPrefs.order ?? workspacePrefs.order;
    const sort = (variant && VARIANT_SORT[variant]) ?? requestPrefs.sort ?? workspacePrefs.sort;
    const ordered = orderEndpoints(result.kept, {
      ...(order ? { order } : {}),
      ...(sort ? { sort } : {}),
      allowFallbacks: (requestPrefs.allowFallbacks ?? workspacePrefs.allowFallbacks) !== false,
      health: input.health ?? EMPTY_HEALTH,
      ...(input.signals ? { signals: input.signals } : {}),
      now: input.now,
      random: input.random ?? Math.random,
    });
    for (const endpoint of ordered) attempts.push({ model, endpoint });
  }

  if (attempts.length === 0) {
    const message =
      emptied.length === 1 ? emptied[0]!.message : `No endpoint is left for any requested model: ${emptied.map((e) => e.message).join("; ")}`;
    throw notFound(message, { reasons: emptied.map(({ model, constraint }) => ({ model, constraint })) });
  }
  return attempts;
}
