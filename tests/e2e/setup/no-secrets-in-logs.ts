import { afterAll, expect } from "vitest";
import { linesWithSecrets } from "../../../workers/gateway/test/setup/secret-patterns.ts";
import { wranglerOutputs } from "../gateway-process.ts";

/**
 * After each e2e file: everything `wrangler dev` printed for every worker the
 * file started — the worker's own console lines included (log level "log") —
 * holds no API key, provider key or Stripe secret.
 */
afterAll(() => {
  const lines = wranglerOutputs.flatMap((output) => output().split("\n"));
  expect(linesWithSecrets(lines), "wrangler dev output lines that hold a secret").toEqual([]);
});
