export * from "./api-key.ts";
export * from "./sha256.ts";
export * from "./limit.ts";
