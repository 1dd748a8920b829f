export * from "./usage-cost.ts";
