import { app } from "./app.ts";

// Library entry points for other workers live in package.json "exports" (./checkout, ./reconcile, ./usage).
export default app;
