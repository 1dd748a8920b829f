import { resolve } from "node:path";

/** The repository root (bench/ lives one level below it). */
export const ROOT = resolve(import.meta.dirname, "../..");
export const BENCH_DIR = resolve(ROOT, "bench");
