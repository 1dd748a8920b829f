import { app } from "./app.ts";

export { AccountSpend } from "./accounts/spend/account-spend.ts";

export default app;
