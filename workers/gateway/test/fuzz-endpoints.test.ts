import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./setup/call.ts";
import { expectNoServerError, withinHangLimit } from "./setup/answers.ts";
import { everyJsonType } from "./setup/fuzz-values.ts";
import { seedKey, seedTenant } from "./setup/seed.ts";

/**
 * Property: whatever reaches any public endpoint — odd paths and query strings,
 * arbitrary JSON, wrong types, huge strings, deep nesting, bytes that are not
 * UTF-8, missing or duplicated headers — the answer is JSON, and when it is an
 * error it is a 4xx in OpenRouter's shape: never a 500, never a hang.
 * (chat completions has its own file, bad-input.test.ts; the legacy completions
 * and embeddings endpoints are fuzzed here with their own request shapes.)
 */
let inference: string;
let management: string;
let ownHash: string;

beforeAll(async () => {
  const tenant = await seedTenant("fuzz-endpoints");
  inference = tenant.key;
  const mgmt = await seedKey(tenant.workspaceId, "fuzz-endpoints", { kind: "management" });
  management = mgmt.key;
  const own = await seedKey(tenant.workspaceId, "fuzz-endpoints-own");
  ownHash = own.hash;
});

/** Calls the gateway; fails the property if it does not answer within HANG_MS. */
const send = (path: string, init: Parameters<typeof call>[1] = {}) => withinHangLimit(call(path, init), `${init.method ?? "GET"} ${path}`);

// ---- generators -------------------------------------------------------------

/**
 * A huge string that a failing run reports by a short label, not by its
 * megabytes. Template strings (toString) and JSON.stringify (toJSON) see the text.
 */
class Huge {
  constructor(
    readonly label: string,
    readonly make: () => string,
  ) {}
  toString() {
    return this.make();
  }
  toJSON() {
    return this.make();
  }
  [fc.toStringMethod]() {
    return `<${this.label}>`;
  }
}
const huge = (label: string, make: () => string) => fc.constant(new Huge(label, make));
/** A request body: a Huge becomes its text. */
const bodyOf = (body: string | Uint8Array | Huge): BodyInit => (body instanceof Huge ? String(body) : body) as BodyInit;

/** Text as it may arrive in a URL (used through template strings, which turn a Huge into its text): arbitrary, percent-encoded, or raw nasty sequences (bad escapes, NUL, traversal). */
const urlText = fc.oneof(
  fc.string({ maxLength: 80 }).map(encodeURIComponent),
  fc.string({ unit: "grapheme", maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom("%", "%ZZ", "%C3%28", "%ED%A0%80", "%00", "..", "%2e%2e", "%2F", "a%2Fb", "%FF%FE", "%u0041", " ", "'", "\"", ";--", "*", "null", "-1", "1e309"),
  huge("200 kB of x", () => "x".repeat(200_000)),
  huge("2.1 MB of y", () => "y".repeat(2_100_000)), // past D1's limit on a bound string
);

const anyKey = () => fc.constantFrom(inference, management, "sk-sy-v1-not-a-key-000000000000", "garbage", "");

/** Header sets: missing, duplicated, wrong content type, junk values. */
const headerSets = () =>
  fc.record(
    {
      authorization: fc.oneof(
        fc.constantFrom(`Bearer ${management}`, `Bearer ${inference}`, `Bearer ${management}, Bearer ${inference}`, `bearer ${management}`, "Bearer", "Basic Zm9vOmJhcg==", ""),
        fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
      ),
      "content-type": fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", ""),
      accept: fc.constantFrom("*/*", "text/html", "application/xml"),
    },
    { requiredKeys: [] },
  );

/** Values of every JSON type, for any field. */
const anything = everyJsonType(
  fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2, 1e-320),
  huge("100 kB of x", () => "x".repeat(100_000)),
  fc.constantFrom("", " ", "2027-13-45T99:99:99Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "daily", "never"),
);

/** Bodies shaped like a key creation or change, with wrong types anywhere. */
const keyBody = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 120 }), anything),
    limit: fc.oneof(fc.double({ min: 0, max: 2_000_000, noNaN: true }), anything),
    limit_reset: fc.oneof(fc.constantFrom("daily", "weekly", "monthly", null), anything),
    expires_at: fc.oneof(fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()), anything),
    disabled: fc.oneof(fc.boolean(), anything),
    workspace_id: anything,
    hash: anything,
  },
  { requiredKeys: [] },
);

/** Raw bodies: any JSON, key-shaped JSON, bytes that are not UTF-8, deep nesting. */
const rawBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  keyBody.map((v) => JSON.stringify(v)),
  fc.uint8Array({ minLength: 1, maxLength: 200 }),
  huge("100k nested arrays", () => "[".repeat(100_000) + "]".repeat(100_000)),
  huge("name: 50k nested arrays", () => `{"name":${"[".repeat(50_000)}${"]".repeat(50_000)}}`),
  huge("limit: 10k nested objects", () => `{"name":"k","limit":${"{\"a\":".repeat(10_000)}1${"}".repeat(10_000)}}`),
  fc.constantFrom(
    "\uFEFF{\"name\":\"bom\"}",
    "{\"name\":\"dup\",\"name\":\"dup2\"}",
    "",
    "   ",
    "null",
  ),
);

/** Legacy completion requests with wrong types anywhere (small max_tokens: a valid one is cheap). */
const completionBody = fc.record(
  {
    model: fc.oneof(fc.constantFrom("mock/echo", "mock/embed", "nobody/nothing"), anything),
    prompt: fc.oneof(fc.string({ maxLength: 50 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), anything),
    max_tokens: fc.oneof(fc.constant(5), anything),
    echo: anything,
    suffix: anything,
    best_of: anything,
    logprobs: anything,
    stream: fc.oneof(fc.boolean(), anything),
    messages: anything,
  },
  { requiredKeys: [] },
);

/** Embeddings requests with wrong types anywhere. */
const embeddingsBody = fc.record(
  {
    model: fc.oneof(fc.constantFrom("mock/embed", "mock/echo", "openai/text-embedding-3-small"), anything),
    input: fc.oneof(fc.string({ maxLength: 50 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), fc.array(fc.integer({ min: -5, max: 100_000 }), { maxLength: 5 }), fc.array(fc.array(fc.integer(), { maxLength: 3 }), { maxLength: 3 }), anything),
    encoding_format: fc.oneof(fc.constantFrom("float", "base64"), anything),
    dimensions: fc.oneof(fc.integer({ min: -2, max: 5_000 }), anything),
    provider: anything,
  },
  { requiredKeys: [] },
);

/** A valid request with one of its fields (or an unknown one) replaced by 100 kB of text. */
const withHugeField = (valid: Record<string, unknown>) =>
  fc.constantFrom(...Object.keys(valid), "unknown_field").map((field) => new Huge(`${field}: 100 kB of x`, () => JSON.stringify({ ...valid, [field]: "x".repeat(100_000) })));

const queryOf = (params: [string, string | Huge][]) => (params.length ? `?${params.map(([k, v]) => `${k}=${v}`).join("&")}` : "");

// ---- properties -------------------------------------------------------------

describe("fuzzing every public endpoint: never a 500, never a hang", () => {
  it("GET /api/v1/key, /credits, /models, /health with any key and headers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("/api/v1/key", "/api/v1/credits", "/api/v1/models", "/health"), headerSets(), async (path, headers) => {
        await expectNoServerError(await send(path, { headers }), path);
      }),
      { numRuns: 60 },
    );
  });

  it("GET /api/v1/generation with any id (and repeated ids)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(urlText, { maxLength: 3 }), anyKey(), async (ids, key) => {
        const path = `/api/v1/generation${queryOf(ids.map((id) => ["id", id]))}`;
        await expectNoServerError(await send(path, { key }), path.slice(0, 120));
      }),
      { numRuns: 80 },
    );
  });

  it("GET /api/v1/activity with any date and api_key_hash", async () => {
    const dateText = fc.oneof(urlText, fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    await fc.assert(
      fc.asyncProperty(fc.option(dateText), fc.option(fc.oneof(urlText, fc.constant(ownHash))), anyKey(), async (date, hash, key) => {
        const params: [string, string | Huge][] = [];
        if (date !== null) params.push(["date", date]);
        if (hash !== null) params.push(["api_key_hash", hash]);
        const path = `/api/v1/activity${queryOf(params)}`;
        await expectNoServerError(await send(path, { key }), path.slice(0, 120));
      }),
      { numRuns: 80 },
    );
  });

  it("GET /api/v1/keys with any offset and include_disabled", async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(urlText), fc.option(urlText), anyKey(), async (offset, includeDisabled, key) => {
        const params: [string, string | Huge][] = [];
        if (offset !== null) params.push(["offset", offset]);
        if (includeDisabled !== null) params.push(["include_disabled", includeDisabled]);
        const path = `/api/v1/keys${queryOf(params)}`;
        await expectNoServerError(await send(path, { key }), path.slice(0, 120));
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ["/api/v1/completions", completionBody, { model: "mock/echo", prompt: "hi", max_tokens: 5 }],
    ["/api/v1/embeddings", embeddingsBody, { model: "mock/embed", input: "hi" }],
  ] as const)("POST %s with any body: request-shaped with wrong types, a huge field, any JSON, any bytes", async (path, shaped, valid) => {
    const body = fc.oneof(shaped.map((v) => JSON.stringify(v)), withHugeField(valid), rawBody);
    await fc.assert(
      fc.asyncProperty(body, headerSets(), anyKey(), async (b, headers, key) => {
        const res = await send(path, { method: "POST", body: bodyOf(b), headers: { ...headers, authorization: `Bearer ${key}` } });
        await expectNoServerError(res, `POST ${path} ${String(b).slice(0, 160)}`);
      }),
      { numRuns: 100 },
    );
  });

  it("POST /api/v1/keys with any body and headers", async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, headerSets(), async (body, headers) => {
        const res = await send("/api/v1/keys", { method: "POST", body: bodyOf(body), headers });
        await expectNoServerError(res, `POST /keys ${String(body).slice(0, 120)}`);
      }),
      { numRuns: 120 },
    );
  });

  it("GET, PATCH and DELETE /api/v1/keys/:hash with any hash and body", async () => {
    const method = fc.constantFrom("GET", "PATCH", "DELETE");
    await fc.assert(
      fc.asyncProperty(method, fc.oneof(urlText, fc.constant(ownHash)), rawBody, async (m, hash, body) => {
        // DELETE only on hashes that are not the seeded key, so later runs still find it.
        if (m === "DELETE" && hash === ownHash) return;
        const res = await send(`/api/v1/keys/${hash}`, { method: m, key: management, ...(m === "PATCH" ? { body: bodyOf(body), headers: { "content-type": "application/json" } } : {}) });
        await expectNoServerError(res, `${m} /keys/${String(hash).slice(0, 80)} ${String(body).slice(0, 80)}`);
      }),
      { numRuns: 120 },
    );
  });

  it("GET /api/v1/models/:author/:slug/endpoints with odd segments", async () => {
    await fc.assert(
      fc.asyncProperty(urlText, urlText, fc.option(urlText), async (author, slug, query) => {
        const path = `/api/v1/models/${author}/${slug}/endpoints${query === null ? "" : `?${query}`}`;
        await expectNoServerError(await send(path), path.slice(0, 120));
      }),
      { numRuns: 80 },
    );
  });

  it("any method on any public path: 404 or 405 in the gateway's shape, never a 500", async () => {
    const paths = fc.constantFrom(
      "/health",
      "/api/v1/models",
      "/api/v1/models/mock/echo/endpoints",
      "/api/v1/chat/completions",
      "/api/v1/completions",
      "/api/v1/embeddings",
      "/api/v1/key",
      "/api/v1/credits",
      "/api/v1/generation?id=x",
      "/api/v1/activity",
      "/api/v1/keys",
      `/api/v1/keys/${"0".repeat(64)}`,
      "/api/v1",
      "/",
      "//api//v1//key",
      "/api/v1/keys/",
      "/API/V1/KEY",
    );
    // (workerd's Request accepts only the methods it knows: an unknown one never reaches a worker)
    const methods = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "MKCOL");
    await fc.assert(
      fc.asyncProperty(paths, methods, async (path, method) => {
        const hasBody = method !== "GET";
        const res = await send(path, { method, key: management, ...(hasBody ? { body: "{}", headers: { "content-type": "application/json" } } : {}) });
        await expectNoServerError(res, `${method} ${path}`);
      }),
      { numRuns: 80 },
    );
  });

  it("HEAD answers without a body and never a 500", async () => {
    for (const path of ["/health", "/api/v1/models", "/api/v1/key", "/api/v1/nothing"]) {
      const res = await send(path, { method: "HEAD", key: inference });
      expect(res.status, `HEAD ${path}`).toBeLessThan(500);
    }
  });
});
