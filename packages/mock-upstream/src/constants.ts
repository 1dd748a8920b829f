/** Fixed `created` timestamp: responses must not depend on the clock. */
export const CREATED = 1700000000;

/** An Authorization header with exactly this value gets a 401, for auth-failure tests. */
export const BAD_KEY_AUTH = "Bearer bad-key";
