/**
 * Retention of per-request records: a record stays in its account's object for
 * RECORD_RETENTION_DAYS (default 30) whole UTC days after its day; then the alarm
 * exports the day to R2 — NDJSON, gzip, one object per account per UTC day,
 * `generations/<account id>/<YYYY-MM-DD>.ndjson.gz` — and deletes it from the object.
 * Only records already rolled up into D1 leave (D1's roll-ups are kept). Records
 * hold stats only, never prompt or answer text, so a ZDR workspace's export holds none either.
 */
import { type RecordRow, toRecord } from "./request-records.ts";

export const DAY_MS = 86_400_000;
export const DEFAULT_RETENTION_DAYS = 30;
/** Days exported per alarm run: the rest follow on the next run, so one run stays short. */
const DAYS_PER_RUN = 3;

export function retentionDays(setting: string | undefined): number {
  const days = Number(setting);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS;
}

/** Records received before this are past retention (whole UTC days). */
export const retentionCutoff = (now: number, days: number) => Math.floor(now / DAY_MS) * DAY_MS - days * DAY_MS;

/** When the oldest kept record's day passes retention: the alarm's next export. */
export const nextExportAt = (oldestMinute: number, days: number) => Math.floor(oldestMinute / DAY_MS) * DAY_MS + (days + 1) * DAY_MS;

export const archiveKey = (accountId: string, day: number) => `generations/${accountId}/${new Date(day).toISOString().slice(0, 10)}.ndjson.gz`;

/** Exports and deletes up to DAYS_PER_RUN days of rolled-up records older than `cutoff`; returns how many records left. */
export async function exportOldRecords(sql: SqlStorage, archive: R2Bucket, accountId: string, cutoff: number): Promise<number> {
  const oldest = sql.exec<{ m: number | null }>("SELECT MIN(minute) AS m FROM generations WHERE minute < ? AND rolled = 1", cutoff).one().m;
  if (oldest === null) return 0;
  let exported = 0;
  for (let day = Math.floor(oldest / DAY_MS) * DAY_MS, n = 0; day < cutoff && n < DAYS_PER_RUN; day += DAY_MS, n++) {
    const rows = sql.exec<RecordRow>("SELECT * FROM generations WHERE minute >= ? AND minute < ? AND rolled = 1 ORDER BY created_at, id", day, day + DAY_MS).toArray();
    if (rows.length === 0) continue;
    const ndjson = rows.map((r) => JSON.stringify(toRecord(r))).join("\n") + "\n";
    const gzip = await new Response(new Blob([ndjson]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
    const key = archiveKey(accountId, day);
    // a day exported before (a late record): gzip members concatenate into one valid file
    const earlier = await archive.get(key);
    const body = earlier ? concat(await earlier.arrayBuffer(), gzip) : gzip;
    await archive.put(key, body, { httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" } });
    sql.exec("DELETE FROM generations WHERE id IN (SELECT value FROM json_each(?))", JSON.stringify(rows.map((r) => r.id)));
    exported += rows.length;
  }
  return exported;
}

function concat(a: ArrayBuffer, b: ArrayBuffer): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(new Uint8Array(a), 0);
  out.set(new Uint8Array(b), a.byteLength);
  return out;
}
