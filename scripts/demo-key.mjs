// The local demo key. Fixed so that the README's curl works; it only ever exists in local D1.
export const DEMO_KEY = "sk-sy-v1-demo-local-key-0000000000000000";
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(DEMO_KEY);
