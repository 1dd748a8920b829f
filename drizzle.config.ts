import { defineConfig } from "drizzle-kit";

// Generates SQL migrations for D1 into migrations/, applied by `wrangler d1 migrations apply`.
export default defineConfig({
  dialect: "sqlite",
  schema: "./packages/db/src/schema.ts",
  out: "./migrations",
});
