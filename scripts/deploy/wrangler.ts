import { execFile, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

export const root = resolve(import.meta.dirname, "../..");
const wranglerBin = join(root, "node_modules/.bin/wrangler");
const quiet = { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true", CI: "true" };

/** Runs wrangler and returns its standard output (for commands whose output is read: lists, JSON). */
export async function wranglerOutput(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(wranglerBin, args, { cwd: root, env: quiet, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Runs wrangler with its output shown to the operator; rejects when it fails. */
export function wranglerShown(args: string[]): Promise<void> {
  console.log(`$ wrangler ${args.join(" ")}`);
  return new Promise((ok, fail) => {
    const child = spawn(wranglerBin, args, { cwd: root, env: quiet, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`wrangler ${args[0]} failed (exit ${code})`))));
    child.on("error", fail);
  });
}
