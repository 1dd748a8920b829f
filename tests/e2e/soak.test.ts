import { describe, expect, it } from "vitest";
import { formatReport, runSoak } from "../soak/soak.ts";

/**
 * The soak of tests/soak/soak.ts, short enough for every run (the full one,
 * 2 minutes at 50 connections, is `npm run soak`; its numbers are in
 * RELIABILITY.md): mixed plain, streamed and failing requests against wrangler
 * dev and two mock providers, then no unexpected error, nothing lost, the ledger
 * reconciled, the worker's heap flat, no secret in the logs.
 */
describe("a short soak", () => {
  it("15 s at 20 connections: only the injected failures, nothing lost, ledger reconciled, heap flat", { timeout: 180_000 }, async () => {
    const report = await runSoak({ seconds: 15, connections: 20, warmupSeconds: 3, sampleEveryMs: 1_000 });
    const summary = formatReport(report);
    expect(report.requests, summary).toBeGreaterThan(200);
    for (const [kind, tally] of Object.entries(report.kinds)) {
      expect(tally.unexpected, `${kind}\n${summary}`).toBe(0);
      expect(tally.sent, `${kind}\n${summary}`).toBeGreaterThan(0);
    }
    expect(report.kinds.plain.served + report.kinds.stream.served, summary).toBe(report.ledger.successRows);
    expect(report.ledger.ok, summary).toBe(true);
    expect(report.memory.flat, summary).toBe(true);
    // the worker's output was captured at log level (a line per request), and holds no secret or unhandled error
    expect(report.logs.requestLines, summary).toBeGreaterThanOrEqual(report.requests);
    expect(report.logs.secretLines, summary).toEqual([]);
    expect(report.logs.unhandledErrors, summary).toEqual([]);
    // wrangler dev did not reload the worker under the load (a POST in flight then gets wrangler's 503);
    // POSTs its proxy lost before the worker saw them were sent again, and the ledger above shows none was served twice
    expect(report.logs.workerReloads, summary).toBe(0);
    expect(report.passed, summary).toBe(true);
  });
});
