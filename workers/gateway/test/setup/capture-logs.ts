import { format } from "node:util";
import { afterAll, expect } from "vitest";

/**
 * Every console line written while a test file runs, the worker's own included:
 * tests call the worker in the same isolate (and its Durable Objects run there
 * too), so wrapping `console` here sees everything the worker would log in
 * production. After each file, no line may hold a secret.
 *
 * Set up once per isolate (a Symbol on globalThis), so files that share an
 * isolate do not wrap `console` twice.
 */
const STORE = Symbol.for("switchyard.test.capturedLogs");
const LEVELS = ["debug", "error", "info", "log", "trace", "warn"] as const;

function install(): string[] {
  const lines: string[] = [];
  for (const level of LEVELS) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      lines.push(`${level}: ${format(...args)}`);
      original(...args);
    };
  }
  return lines;
}

const holder = globalThis as unknown as Record<symbol, string[] | undefined>;
const lines = (holder[STORE] ??= install());

/** Every line captured so far in this isolate. */
export function capturedLogs(): readonly string[] {
  return lines;
}

/**
 * What a secret looks like in the tests: a full switchyard key (its 12-character
 * prefix is public), the workspaces' own provider keys and hosted provider keys
 * the tests use, Stripe secrets, the BYOK master key.
 */
export const SECRET_PATTERNS: readonly RegExp[] = [
  /sk-sy-[A-Za-z0-9_-]{8,}/,
  /sk-own-/,
  /sk-hosted/,
  /whsec_/,
  /sk_test_/,
  /c3dpdGNoeWFyZC10ZXN0LWJ5b2stbWFzdGVyLWtleSE/, // vitest.config.ts's BYOK_MASTER_KEY
];

export function linesWithSecrets(text: readonly string[]): string[] {
  return text.filter((line) => SECRET_PATTERNS.some((p) => p.test(line)));
}

afterAll(() => {
  expect(linesWithSecrets(lines), "log lines that hold a secret").toEqual([]);
});
