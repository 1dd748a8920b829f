/**
 * A bounded soak: the gateway under `wrangler dev` (workerd, local D1, the
 * Durable Objects) behind two mock providers on loopback — "mock" healthy,
 * "mock-eu" failing a scripted share of its requests — driven by `connections`
 * concurrent fetch loops for `seconds`, with a fixed mix of plain, streamed and
 * deliberately failing requests (directives in the prompt). It stops by itself
 * and then checks:
 *  - no errors other than the injected ones (every answer is classified);
 *  - nothing lost: every answer the client saw as served is one successful
 *    generation and one usage entry in D1, every cut stream one error row;
 *  - the ledger reconciles (every account's balance equals its ledger sum) and
 *    the soak account's spend equals the cost of what was served;
 *  - memory flat: the worker's JS heap after a full GC (worker and Durable
 *    Objects share the isolate), sampled every 2 s after a warm-up, averages no
 *    more over the last third of the run than 1.3 × over the first third
 *    (workerd's resident memory is sampled and reported too; see memory.ts);
 *  - the wrangler dev output has no secret and no unhandled error.
 *
 *   npm run soak -- --seconds 120 --connections 50
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { startMockUpstream } from "@switchyard/mock-upstream/node";
import { compareTotals, RECONCILE_SQL, type AccountTotals } from "../../workers/billing/src/ledger/reconcile.ts";
import { linesWithSecrets } from "../../workers/gateway/test/setup/secret-patterns.ts";
import { queryD1, startGateway } from "../e2e/gateway-process.ts";
import { type MemoryVerdict, memoryVerdict, WorkerMemory } from "./memory.ts";

export interface SoakOptions {
  seconds: number;
  connections: number;
  /** Load before memory sampling starts (JIT, caches, first Durable Object instances). */
  warmupSeconds?: number;
  /** How often memory is sampled (default 2 s; a short run samples more often to have enough samples per third). */
  sampleEveryMs?: number;
  log?: (line: string) => void;
}

type Kind = "plain" | "stream" | "fail-500" | "rate-limited" | "stream-cut";
/** One cycle of the mix, 20 requests: 75 % meant to succeed, 25 % failing on purpose. */
const MIX: Kind[] = [
  ...Array<Kind>(10).fill("plain"),
  ...Array<Kind>(5).fill("stream"),
  "fail-500",
  "fail-500",
  "rate-limited",
  "stream-cut",
  "stream-cut",
];
const DIRECTIVE: Record<Kind, string> = { plain: "", stream: "", "fail-500": " [mock:status=500]", "rate-limited": " [mock:status=429]", "stream-cut": " [mock:cut=2]" };
/** What mock-eu does to the requests that reach it, in a repeating cycle: the gateway must fail over, unseen by the client. */
const EU_FAULTS = ["ok", "status=503", "ok", "ok", "cut=0", "ok", "status=500", "ok", "malformed", "ok"];

export const MEMORY_GROWTH_LIMIT = 1.3;
const SOAK_KEY = "sk-sy-v1-soak-load-key-0000000000000000000";
const SOAK_CREDITS = 1_000_000_000_000; // $1,000

interface Tally {
  sent: number;
  served: number;
  injected: number;
  unexpected: number;
}

/**
 * What wrangler dev's proxy answers when its fetch to the worker fails: it says
 * "restarted" for any failed POST whose path is not "/" (ProxyWorker compares the
 * request's full URL with the worker's base URL, so they never match), though no
 * reload happened. Under load its hop to the worker loses a connection now and
 * then ("Network connection lost.") before the worker sees the request: such a
 * POST is sent again, up to DEV_PROXY_RETRIES times, and counted. A request that
 * did reach the gateway and is sent again would be served twice, which the ledger
 * check (served = success rows) catches; a real reload is caught by workerReloads.
 */
const DEV_PROXY_LOST = "Your worker restarted mid-request.";
const DEV_PROXY_RETRIES = 3;

export interface SoakReport {
  seconds: number;
  connections: number;
  sampleEveryMs: number;
  requests: number;
  requestsPerSecond: number;
  /** POSTs wrangler dev's proxy lost before the worker saw them, sent again (see DEV_PROXY_LOST). */
  devProxyRetries: number;
  kinds: Record<Kind, Tally>;
  /** Up to 20 examples of answers that were neither served nor an injected failure. */
  unexpected: string[];
  latencyMs: { p50: number; p99: number };
  memory: MemoryVerdict;
  ledger: {
    servedByClient: number;
    successRows: number;
    usageEntries: number;
    /** Requests the client saw fail (cut streams, provider errors): each is an error row, charged nothing. */
    failedByClient: number;
    errorRows: number;
    spentNanos: number;
    costOfServedNanos: number;
    accountsReconciled: number;
    differences: number;
    ok: boolean;
  };
  /** workerReloads: wrangler dev reloaded the worker under the load ("Reloading local server"); a POST in flight then gets its 503. */
  logs: { secretLines: string[]; unhandledErrors: string[]; requestLines: number; workerReloads: number };
  passed: boolean;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const sampleEveryMs = options.sampleEveryMs ?? 2_000;
  const warmupMs = (options.warmupSeconds ?? Math.min(10, Math.max(3, options.seconds / 6))) * 1000;

  const us = await startMockUpstream();
  const eu = await startMockUpstream({ script: euScript(2_000_000) });
  const gateway = await startGateway(
    { PROVIDER_BASE_URLS: JSON.stringify({ mock: us.url, "mock-eu": eu.url }), FIRST_BYTE_TIMEOUT_MS: "5000", STREAM_IDLE_TIMEOUT_MS: "10000" },
    soakAccountSql(),
  );
  // the mock servers record every request; a soak does not need the history
  const forget = setInterval(() => {
    us.requests.length = 0;
    eu.requests.length = 0;
  }, 1_000);
  let memory: WorkerMemory | undefined;
  try {
    memory = await WorkerMemory.connect(gateway.inspectorPort, gateway.pid);
    log(`gateway ${gateway.url} (wrangler pid ${gateway.pid}); load: ${options.connections} connections for ${options.seconds} s`);
    const kinds = Object.fromEntries(MIX.map((k) => [k, { sent: 0, served: 0, injected: 0, unexpected: 0 }])) as Record<Kind, Tally>;
    const unexpected: string[] = [];
    const latencies: number[] = [];
    const started = Date.now();
    const deadline = started + options.seconds * 1000;

    const heapMb: number[] = [];
    const rssMb: number[] = [];
    let sampling = false;
    const sampler = setInterval(() => {
      if (Date.now() - started < warmupMs || sampling) return;
      sampling = true;
      void Promise.all([memory!.heapAfterGcMb(), memory!.workerdRssMb()]).then(([heap, rss]) => {
        if (heap !== null && Date.now() < deadline) {
          heapMb.push(heap);
          rssMb.push(rss);
        }
        sampling = false;
      });
    }, sampleEveryMs);

    let sequence = 0;
    let devProxyRetries = 0;
    const loop = async (offset: number) => {
      for (let n = offset; Date.now() < deadline; n++) {
        const kind = MIX[n % MIX.length]!;
        const outcome = await oneRequest(gateway.url, kind, sequence++, () => devProxyRetries++);
        kinds[kind].sent++;
        if (outcome.result === "unexpected") {
          kinds[kind].unexpected++;
          if (unexpected.length < 20) unexpected.push(`${kind}: ${outcome.detail}`);
        } else if (outcome.result === "injected") {
          kinds[kind].injected++;
        } else {
          kinds[kind].served++;
          if (kind === "plain") latencies.push(outcome.ms);
        }
      }
    };
    const progress = setInterval(() => {
      const done = Object.values(kinds).reduce((s, t) => s + t.sent, 0);
      log(`${Math.round((Date.now() - started) / 1000)} s: ${done} requests, heap ${heapMb.at(-1) ?? "-"} MB, workerd RSS ${rssMb.at(-1) ?? "-"} MB`);
    }, 10_000);
    await Promise.all(Array.from({ length: options.connections }, (_, i) => loop(i * 7)));
    clearInterval(progress);
    clearInterval(sampler);
    const elapsed = (Date.now() - started) / 1000;
    const requests = Object.values(kinds).reduce((s, t) => s + t.sent, 0);
    log(`load done: ${requests} requests in ${elapsed.toFixed(1)} s; waiting for settlement`);

    const failed = kinds["stream-cut"].injected + kinds["fail-500"].injected + kinds["rate-limited"].injected;
    const ledger = await checkLedger(gateway.stateDir, gateway.url, kinds.plain.served + kinds.stream.served, failed);
    // a request's log line passes through wrangler dev's output and can reach us after its
    // settlement is in D1 (seen once in CI: 608 lines for 609 requests): wait for the lines, bounded
    const requestLinesIn = (text: string) => text.split("\n").filter((l) => l.includes("POST /api/v1/chat/completions")).length;
    for (let i = 0; i < 50 && requestLinesIn(gateway.output()) < requests; i++) await new Promise((ok) => setTimeout(ok, 100));
    const output = gateway.output();
    const lines = output.split("\n");
    const logs = {
      secretLines: linesWithSecrets(lines),
      unhandledErrors: lines.filter((l) => /unhandled error|Uncaught|internal error/i.test(l)),
      requestLines: requestLinesIn(output),
      workerReloads: lines.filter((l) => l.includes("Reloading local server")).length,
    };
    const memoryReport = memoryVerdict(heapMb, rssMb, MEMORY_GROWTH_LIMIT);
    latencies.sort((a, b) => a - b);
    const report: SoakReport = {
      seconds: options.seconds,
      connections: options.connections,
      sampleEveryMs,
      requests,
      requestsPerSecond: Math.round(requests / elapsed),
      devProxyRetries,
      kinds,
      unexpected,
      latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
      memory: memoryReport,
      ledger,
      logs,
      passed: false,
    };
    report.passed =
      Object.values(kinds).every((t) => t.unexpected === 0) && ledger.ok && memoryReport.flat && logs.secretLines.length === 0 && logs.unhandledErrors.length === 0 && logs.workerReloads === 0;
    return report;
  } finally {
    clearInterval(forget);
    memory?.close();
    await gateway.stop();
    await Promise.all([us.close(), eu.close()]);
  }
}

type Outcome = { result: "served" | "injected"; ms: number } | { result: "unexpected"; detail: string };

/** Sends one request of the mix (again if wrangler dev's proxy lost it, see DEV_PROXY_LOST) and classifies its answer. */
async function oneRequest(url: string, kind: Kind, n: number, retried: () => void): Promise<Outcome> {
  const stream = kind === "stream" || kind === "stream-cut";
  const content = `soak ${kind} ${n}${DIRECTIVE[kind]}`;
  const started = performance.now();
  let status = 0;
  let text = "";
  for (let attempt = 0; attempt <= DEV_PROXY_RETRIES; attempt++) {
    if (attempt > 0) retried();
    try {
      const res = await fetch(`${url}/api/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${SOAK_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "mock/echo", messages: [{ role: "user", content }], max_tokens: 32, stream }),
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      text = await res.text();
    } catch (error) {
      return { result: "unexpected", detail: `no answer: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!(status === 503 && text.startsWith(DEV_PROXY_LOST))) break;
  }
  const ms = performance.now() - started;
  try {
    return classify(kind, n, status, text, ms);
  } catch {
    // not the JSON or SSE the gateway answers with (wrangler dev's own 503 text, a proxy's HTML page): counted, never a crash
    return { result: "unexpected", detail: `${status} not the gateway's JSON: ${text.slice(0, 200)}` };
  }
}

/** Classifies one answer; throws on a body that is not the gateway's JSON or SSE. */
function classify(kind: Kind, n: number, status: number, text: string, ms: number): Outcome {
  const expected = `Echo: soak ${kind} ${n}`;
  const bad = (why: string): Outcome => ({ result: "unexpected", detail: `${status} ${why}: ${text.slice(0, 200)}` });

  if (kind === "plain") {
    if (status !== 200) return bad("not served");
    const body = JSON.parse(text) as { choices?: Array<{ message?: { content?: string } }> };
    return body.choices?.[0]?.message?.content === expected ? { result: "served", ms } : bad("wrong content");
  }
  if (kind === "stream" || kind === "stream-cut") {
    if (status !== 200) return bad("stream not started");
    const events = text.split("\n\n").filter((e) => e.startsWith("data: ")).map((e) => e.slice(6));
    if (events.at(-1) !== "[DONE]") return bad("no [DONE]");
    const errored = text.includes('"finish_reason":"error"');
    if (kind === "stream-cut") return errored ? { result: "injected", ms } : bad("cut stream without an error event");
    const content = events.slice(0, -1).map((e) => (JSON.parse(e) as { choices?: Array<{ delta?: { content?: string } }> }).choices?.[0]?.delta?.content ?? "").join("");
    return !errored && content === expected ? { result: "served", ms } : bad("stream incomplete");
  }
  // fail-500 and rate-limited: the provider's failure, passed on as a gateway error in OpenRouter's shape
  const allowed = kind === "fail-500" ? [502, 503] : [429, 502, 503];
  if (!allowed.includes(status)) return bad("unexpected status");
  const body = JSON.parse(text) as { error?: { code?: number } };
  return body.error?.code === status ? { result: "injected", ms } : bad("error not in OpenRouter's shape");
}

/**
 * Waits until everything served is settled and rolled up into D1, then checks the ledger. Per-request
 * records live in the account's spend object; D1 has their per-minute roll-ups: successes per
 * provider in `detail`, every request in `request_count`, the exact charge in `amount_nanos`. A
 * read of the key's usage (GET /api/v1/key) makes the object write its roll-ups first.
 */
async function checkLedger(stateDir: string, url: string, served: number, failed: number): Promise<SoakReport["ledger"]> {
  const counts = async () => {
    await fetch(`${url}/api/v1/key`, { headers: { authorization: `Bearer ${SOAK_KEY}` } });
    const [c] = await queryD1<{ success: number; requests: number; entries: number; spent: number | null; cost: number | null }>(
      stateDir,
      `SELECT
         (SELECT COALESCE(SUM(p.value ->> 0), 0) FROM ledger_entries AS l, json_each(l.detail, '$.providers') AS p WHERE l.api_key_id = 'key_soak' AND l.kind = 'usage') AS success,
         (SELECT COALESCE(SUM(request_count), 0) FROM ledger_entries WHERE api_key_id = 'key_soak' AND kind = 'usage') AS requests,
         (SELECT COUNT(*) FROM ledger_entries WHERE api_key_id = 'key_soak' AND kind = 'usage') AS entries,
         (SELECT -SUM(amount_nanos) FROM ledger_entries WHERE api_key_id = 'key_soak') AS spent,
         (SELECT SUM(p.value ->> 1) FROM ledger_entries AS l, json_each(l.detail, '$.providers') AS p WHERE l.api_key_id = 'key_soak' AND l.kind = 'usage') AS cost`,
    );
    // failed requests of a minute with no success write no roll-up: errors are counted where they share one
    return { success: c!.success, errors: c!.requests - c!.success, usage: c!.success, entries: c!.entries, spent: c!.spent, cost: c!.cost };
  };
  let c = await counts();
  for (let i = 0; i < 30 && (c.success < served || c.errors < failed); i++) {
    await new Promise((ok) => setTimeout(ok, 1_000));
    c = await counts();
  }
  const totals = await queryD1<AccountTotals>(stateDir, RECONCILE_SQL.replace(/\s+/g, " ").trim());
  const reconciled = compareTotals(totals);
  const spentNanos = c.spent ?? 0;
  const costOfServedNanos = c.cost ?? 0;
  return {
    servedByClient: served,
    successRows: c.success,
    usageEntries: c.entries,
    failedByClient: failed,
    errorRows: c.errors,
    spentNanos,
    costOfServedNanos,
    accountsReconciled: reconciled.accounts,
    differences: reconciled.differences.length,
    ok: c.success === served && c.errors <= failed && spentNanos === costOfServedNanos && reconciled.differences.length === 0,
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
}

/** mock-eu's failures, cycled: enough steps for any bounded run. */
function euScript(length: number): string[] {
  return Array.from({ length }, (_, i) => EU_FAULTS[i % EU_FAULTS.length]!);
}

/** An account of its own for the soak, with enough credits that the load never runs out. */
function soakAccountSql(): string {
  const hash = createHash("sha256").update(SOAK_KEY).digest("hex");
  return `
INSERT INTO accounts (id, name) VALUES ('acct_soak', 'Soak account');
INSERT INTO workspaces (id, account_id, name) VALUES ('ws_soak', 'acct_soak', 'Soak workspace');
INSERT INTO api_keys (id, hash, prefix, name, workspace_id, kind) VALUES ('key_soak', '${hash}', '${SOAK_KEY.slice(0, 14)}', 'Soak key', 'ws_soak', 'inference');
INSERT INTO ledger_entries (account_id, workspace_id, kind, amount_nanos, idempotency_key) VALUES ('acct_soak', 'ws_soak', 'adjustment', ${SOAK_CREDITS}, 'seed:soak');
INSERT INTO account_balances (account_id, balance_nanos) VALUES ('acct_soak', ${SOAK_CREDITS});
`;
}

export function formatReport(r: SoakReport): string {
  const rows = (Object.entries(r.kinds) as Array<[Kind, Tally]>).map(([k, t]) => `  ${k.padEnd(13)} sent ${String(t.sent).padStart(7)}  served ${String(t.served).padStart(7)}  injected ${String(t.injected).padStart(6)}  unexpected ${t.unexpected}`);
  return [
    `soak: ${r.seconds} s at ${r.connections} connections: ${r.requests} requests (${r.requestsPerSecond}/s), plain p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms`,
    `  wrangler dev's proxy lost ${r.devProxyRetries} POSTs before the worker saw them (503 "${DEV_PROXY_LOST}" with no reload): sent again`,
    ...rows,
    ...r.unexpected.map((u) => `  unexpected: ${u}`),
    `memory, every ${r.sampleEveryMs / 1000} s after warm-up: JS heap after GC first third ${r.memory.heapFirstThirdMb} MB, last third ${r.memory.heapLastThirdMb} MB, ratio ${r.memory.ratio} (limit ${MEMORY_GROWTH_LIMIT}) → ${r.memory.flat ? "flat" : "GROWING"}`,
    `  heap samples (MB): ${r.memory.heapMb.join(" ")}`,
    `  workerd RSS (MB, not judged: includes wrangler dev's own growth): first third ${r.memory.rssFirstThirdMb}, last third ${r.memory.rssLastThirdMb}; samples ${r.memory.rssMb.join(" ")}`,
    `ledger: served ${r.ledger.servedByClient} = successes rolled up ${r.ledger.successRows} (in ${r.ledger.usageEntries} roll-up entries); failed ${r.ledger.failedByClient} ≥ failures rolled up ${r.ledger.errorRows}; spent ${r.ledger.spentNanos} = cost ${r.ledger.costOfServedNanos} nanos; ${r.ledger.accountsReconciled} accounts, ${r.ledger.differences} differences → ${r.ledger.ok ? "reconciles" : "DOES NOT RECONCILE"}`,
    `logs: ${r.logs.requestLines} request lines, ${r.logs.secretLines.length} with a secret, ${r.logs.unhandledErrors.length} unhandled errors, ${r.logs.workerReloads} worker reloads`,
    r.passed ? "PASSED" : "FAILED",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seconds: { type: "string", default: "120" }, connections: { type: "string", default: "50" } } });
  const report = await runSoak({ seconds: Number(values.seconds), connections: Number(values.connections), log: (l) => console.log(l) });
  console.log(formatReport(report));
  process.exitCode = report.passed ? 0 : 1;
}
