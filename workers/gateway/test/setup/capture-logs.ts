import { format } from "node:util";
import { afterAll, expect } from "vitest";
import { linesWithSecrets } from "./secret-patterns.ts";

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

afterAll(() => {
  expect(linesWithSecrets(lines), "log lines that hold a secret").toEqual([]);
});
