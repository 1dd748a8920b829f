// The local demo keys. Fixed so that the README's curl works; they only ever exist in local D1.
export const DEMO_KEY = "sk-sy-v1-demo-local-key-0000000000000000";
/** A management key of the demo workspace, for the provisioning API (/api/v1/keys, /api/v1/activity). */
export const DEMO_MANAGEMENT_KEY = "sk-sy-v1-demo-local-management-key-00000";
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(process.argv[2] === "management" ? DEMO_MANAGEMENT_KEY : DEMO_KEY);
