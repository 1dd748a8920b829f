export * from "./types.ts";
export * from "./providers.ts";
export * from "./models/index.ts";
export * from "./format.ts";
export * from "./lookup.ts";
export * from "./openrouter-shape.ts";
