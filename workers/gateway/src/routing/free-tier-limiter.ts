import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

export interface FreeTierLimits {
  perMinute: number;
  perDay: number;
}

export type FreeTierDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: "minute" | "day" };

interface Windows {
  minute: number; // start of the current minute window, unix ms
  minuteCount: number;
  day: number; // start of the current UTC day, unix ms
  dayCount: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * The `:free` rate limits of one API key (one object per key): fixed windows
 * per minute and per UTC day. Only `:free` requests pay this round trip.
 */
export class FreeTierLimiter extends DurableObject<Env> {
  /** The object's clock; tests replace it to cross window boundaries. */
  now: () => number = () => Date.now();

  take(limits: FreeTierLimits): FreeTierDecision {
    const now = this.now();
    const minute = now - (now % MINUTE_MS);
    const day = now - (now % DAY_MS);
    const stored = this.ctx.storage.kv.get<Windows>("windows");
    const w: Windows = {
      minute,
      minuteCount: stored?.minute === minute ? stored.minuteCount : 0,
      day,
      dayCount: stored?.day === day ? stored.dayCount : 0,
    };
    if (w.dayCount >= limits.perDay) return { allowed: false, limit: "day", retryAfterSeconds: Math.ceil((day + DAY_MS - now) / 1000) };
    if (w.minuteCount >= limits.perMinute) return { allowed: false, limit: "minute", retryAfterSeconds: Math.ceil((minute + MINUTE_MS - now) / 1000) };
    this.ctx.storage.kv.put<Windows>("windows", { ...w, minuteCount: w.minuteCount + 1, dayCount: w.dayCount + 1 });
    return { allowed: true };
  }
}
