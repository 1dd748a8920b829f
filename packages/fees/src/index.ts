export * from "./byok-fee.ts";
export * from "./money.ts";
export * from "./purchase.ts";
export * from "./usage-cost.ts";
