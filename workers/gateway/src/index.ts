import { app } from "./app.ts";

export { ProviderHealth } from "./health/provider-health.ts";

export default app;
