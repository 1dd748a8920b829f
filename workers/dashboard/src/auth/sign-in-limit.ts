import { signInAttempts } from "@switchyard/db";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { sha256Hex } from "../lib/encoding.ts";
import type { TrustedDevice } from "./device-cookie.ts";

/** The window attempts are counted in; a subject past its limit waits until the window ends. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Attempts at one email per window: guessing one account's password. */
export const MAX_ATTEMPTS_PER_EMAIL = 5;
/** Failed attempts from one client address per window: trying many accounts (credential stuffing). */
export const MAX_FAILURES_PER_ADDRESS = 30;
/** Attempts per window from one trusted browser (a valid device cookie for the email): it has a limit of its own. */
export const MAX_ATTEMPTS_PER_DEVICE = 5;

/**
 * Limits password guessing at sign-in. Every attempt is counted *before* the
 * password is checked, in one D1 statement per subject that returns the new
 * count, so concurrent guesses cannot slip past the limit. A successful sign-in
 * clears its email's count and takes its attempt back from the address's, so
 * an address only ever accumulates failures. Unknown emails are counted like
 * known ones: the answer never tells whether an account exists.
 *
 * Subjects are stored as SHA-256 hashes, not as the addresses typed.
 * The limit is temporary by design: someone who locks another person's email
 * out keeps them out only until the window ends — and never out of a browser
 * that signed in as them before: an attempt carrying a valid device cookie for
 * the email (device-cookie.ts) is counted only against that cookie, not the
 * email or the address, so a stranger's guesses cannot lock it out.
 */
export interface SignInAttempt {
  /** Null: allowed. Otherwise the seconds until the subject's window ends. */
  retryAfterSeconds: number | null;
  /** Call after a successful sign-in. */
  succeeded(): Promise<void>;
}

export async function countSignInAttempt(db: Db, email: string, clientAddress: string | null, device: TrustedDevice | null, now = Date.now()): Promise<SignInAttempt> {
  const emailSubject = `email:${await sha256Hex(email)}`;
  const addressSubject = clientAddress && !device ? `address:${await sha256Hex(clientAddress)}` : null;
  const deviceSubject = device ? `device:${await sha256Hex(device.id)}` : null;
  const limits: [string, number][] = deviceSubject ? [[deviceSubject, MAX_ATTEMPTS_PER_DEVICE]] : [[emailSubject, MAX_ATTEMPTS_PER_EMAIL]];
  if (addressSubject) limits.push([addressSubject, MAX_FAILURES_PER_ADDRESS]);

  const queries = limits.map(([subject]) => countAttempt(db, subject, now));
  const counted = await db.batch(queries as [(typeof queries)[number], ...typeof queries]);
  let retryAfterSeconds: number | null = null;
  counted.forEach(([row], i) => {
    if (!row || row.attempts <= limits[i]![1]) return;
    const seconds = Math.max(1, Math.ceil((row.windowStartedAt + SIGN_IN_WINDOW_MS - now) / 1000));
    retryAfterSeconds = Math.max(retryAfterSeconds ?? 0, seconds);
  });

  return {
    retryAfterSeconds,
    async succeeded() {
      const forget = db.delete(signInAttempts).where(inArray(signInAttempts.subject, deviceSubject ? [emailSubject, deviceSubject] : [emailSubject]));
      if (!addressSubject) {
        await forget;
        return;
      }
      const takeBack = db
        .update(signInAttempts)
        .set({ attempts: sql`MAX(${signInAttempts.attempts} - 1, 0)` })
        .where(eq(signInAttempts.subject, addressSubject));
      await db.batch([forget, takeBack]);
    },
  };
}

/** One more attempt for `subject`: counted in its current window, or the first of a new one. */
function countAttempt(db: Db, subject: string, now: number) {
  const current = sql`${signInAttempts.windowStartedAt} > ${now - SIGN_IN_WINDOW_MS}`;
  return db
    .insert(signInAttempts)
    .values({ subject, windowStartedAt: now, attempts: 1 })
    .onConflictDoUpdate({
      target: signInAttempts.subject,
      // both read the row as it was: a window that ended starts again now, at one attempt
      set: {
        attempts: sql`CASE WHEN ${current} THEN ${signInAttempts.attempts} + 1 ELSE 1 END`,
        windowStartedAt: sql`CASE WHEN ${current} THEN ${signInAttempts.windowStartedAt} ELSE ${now} END`,
      },
    })
    .returning({ attempts: signInAttempts.attempts, windowStartedAt: signInAttempts.windowStartedAt });
}
