export * as schema from "./schema.ts";
export * from "./schema.ts";
export * from "./reconcile.ts";
export * from "./audit.ts";
