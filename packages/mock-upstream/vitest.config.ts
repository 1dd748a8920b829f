// Plain Node environment: the suite drives the handler in-process and over real sockets.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 5000,
  },
});
