/**
 * Spend windows, all in UTC: a key's limit resets daily (00:00), weekly (Monday
 * 00:00) or monthly (the 1st, 00:00), like OpenRouter's; "none" never resets.
 * A workspace's budget is monthly.
 */
export type LimitReset = "none" | "daily" | "weekly" | "monthly";

const DAY_MS = 86_400_000;

/** The start (unix ms) of the window that contains `now`. */
export function windowStart(reset: LimitReset, now: number): number {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (reset) {
    case "none":
      return 0;
    case "daily":
      return Date.UTC(y, m, day);
    case "weekly":
      return Date.UTC(y, m, day) - ((d.getUTCDay() + 6) % 7) * DAY_MS; // days since Monday
    case "monthly":
      return Date.UTC(y, m, 1);
  }
}

/** When the window containing `now` ends, or null for a limit that never resets. */
export function nextReset(reset: LimitReset, now: number): number | null {
  const start = windowStart(reset, now);
  const d = new Date(start);
  switch (reset) {
    case "none":
      return null;
    case "daily":
      return start + DAY_MS;
    case "weekly":
      return start + 7 * DAY_MS;
    case "monthly":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
}

/** "YYYY-MM-DD" of a unix-ms time, UTC. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
