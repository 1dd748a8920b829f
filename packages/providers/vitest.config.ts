import { defineConfig } from "vitest/config";

// Lets `vitest run --root packages/providers` run this package alone (vitest would
// otherwise find the repo-root config, whose globs are relative to the repo root).
// The root config's "unit" project runs the same files.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});
