import type { D1Migration } from "cloudflare:test";
import type { Env as BillingEnv } from "../../src/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends BillingEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
