export * from "./plan.ts";
export * from "./health.ts";
export * from "./rng.ts";
export * from "./auto.ts";
export { checkPreferences, parseWorkspacePreferences, QUANTIZATIONS } from "./preferences.ts";
export { type RouteCatalog, requestedModels } from "./models.ts";
export { unitPrice, weightedShuffle } from "./order.ts";
export * from "./signals.ts";
export * from "./histogram.ts";
