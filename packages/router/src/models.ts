import { type Model, type ModelVariant, parseModelId } from "@switchyard/catalog";
import { badRequest, type ChatCompletionRequest, notFound } from "@switchyard/schemas";
import { AUTO_MODEL_ID, autoModels } from "./auto.ts";

/** Where the planner looks models up: the static catalog in production, a small table in tests. */
export interface RouteCatalog {
  findModel(id: string): Model | undefined;
}

export interface RequestedModel {
  /** The id as the caller wrote it (with its variant), for messages. */
  requested: string;
  model: Model;
  variant?: ModelVariant;
}

/**
 * The models to try, in order: `model`, then the `models` fallbacks (OpenRouter's
 * semantics; duplicates dropped). `switchyard/auto` expands in place into the
 * models its rules pick for this prompt.
 */
export function requestedModels(request: ChatCompletionRequest, catalog: RouteCatalog): RequestedModel[] {
  const ids = [...new Set([...(request.model ? [request.model] : []), ...(request.models ?? [])])];
  const expanded = [...new Set(ids.flatMap((id) => (id === AUTO_MODEL_ID ? autoModels(request) : [id])))];
  return expanded.map((id) => {
    const { variant } = parseModelId(id);
    if (variant === "online") throw badRequest(`${id}: the :online variant (web search) is not supported`, { model: id });
    const model = catalog.findModel(id);
    if (!model) throw notFound(`Model ${id} does not exist. See GET /api/v1/models for the list.`, { model: id });
    return { requested: id, model, ...(variant && model.id !== id ? { variant } : {}) };
  });
}
