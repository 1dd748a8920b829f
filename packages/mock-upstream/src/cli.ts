/**
 * Standalone mock upstream for local dev and benchmarks:
 *   npx tsx packages/mock-upstream/src/cli.ts --port 9999 [--host 127.0.0.1]
 */
import { parseArgs } from "node:util";
import { startMockUpstream } from "./node-server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p", default: "9999" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}

const server = await startMockUpstream({ port, host: values.host });
console.log(`mock upstream listening on ${server.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
