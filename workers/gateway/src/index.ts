import { app } from "./app.ts";

export { ProviderHealth } from "./health/provider-health.ts";
export { FreeTierLimiter } from "./routing/free-tier-limiter.ts";
export { AccountSpend } from "./accounts/spend/account-spend.ts";

export default app;
