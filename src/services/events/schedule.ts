// Work due at a time (offer expiry, reminders) as ScheduledJob rows: they survive restarts and are
// run once by runDueJobs (runner.ts). Never an in-memory timer. Keys make scheduling idempotent.
import { Prisma } from "../../generated/sqlite/client.js";
import type { Tx } from "../../db/client.js";
import type { HotSql } from "../../db/direct.js";
import { hoursBefore, type EventSettings } from "./settings.js";

export type JobPayload =
  | { kind: "offer_expiry"; enrolmentId: number; round: number }
  | { kind: "reminder"; enrolmentId: number; hoursBefore: number; startsAt: string }
  /** Erasure of a person's data after they withdrew consent (services/people/erasure.ts). */
  | { kind: "erasure"; personId: number };

/** Schedules a job once per key (a second call with the same key changes nothing). */
export async function scheduleJob(tx: Tx, now: Date, key: string, dueAt: Date, payload: JobPayload): Promise<void> {
  await tx.scheduledJob.upsert({
    where: { key },
    create: { key, kind: payload.kind, dueAt, payload: JSON.stringify(payload), createdAt: now },
    update: {},
  });
}

/**
 * Reminders before the start for a confirmed enrolment. Keyed by the start time, so a moved event
 * gets new ones, and the old ones find the time changed and send nothing.
 */
export async function scheduleReminders(tx: Tx, now: Date, event: { startsAt: Date }, enrolmentId: number, settings: EventSettings): Promise<void> {
  const rows = reminderRows(now, event, enrolmentId, settings).map((r) => Prisma.sql`(${r.key}, 'reminder', ${r.dueAt}, ${r.payload}, 0, ${now})`);
  if (!rows.length) return;
  // One statement for all of them (a sign-up is on the hot path); a key already there stays as it is.
  await tx.$executeRaw`INSERT INTO "ScheduledJob" ("key", "kind", "dueAt", "payload", "attempts", "createdAt") VALUES ${Prisma.join(rows)} ON CONFLICT ("key") DO NOTHING`;
}

/** The reminder jobs a confirmed enrolment gets: key, due time, payload (shared by both writers). */
function reminderRows(now: Date, event: { startsAt: Date }, enrolmentId: number, settings: EventSettings) {
  const startsAt = event.startsAt.toISOString();
  return settings.reminderHours
    .map((h) => ({ h, dueAt: hoursBefore(event.startsAt, h) }))
    .filter((r) => r.dueAt > now)
    .map(({ h, dueAt }) => ({ key: `reminder:${enrolmentId}:${h}:${event.startsAt.getTime()}`, dueAt, payload: JSON.stringify({ kind: "reminder", enrolmentId, hoursBefore: h, startsAt }) }));
}

/** scheduleReminders with our own SQL (a sign-up's hot transaction): the same rows, one statement. */
export async function scheduleRemindersSql(sql: HotSql, now: Date, event: { startsAt: Date }, enrolmentId: number, settings: EventSettings): Promise<void> {
  const rows = reminderRows(now, event, enrolmentId, settings);
  if (!rows.length) return;
  // The template's pieces around bound values (one "(key, 'reminder', dueAt, payload, 0, now)" each).
  const strings = [`INSERT INTO "ScheduledJob" ("key", "kind", "dueAt", "payload", "attempts", "createdAt") VALUES (`];
  const values: unknown[] = [];
  rows.forEach((r, i) => {
    if (i) strings[strings.length - 1] += ", (";
    values.push(r.key, r.dueAt, r.payload, now);
    strings.push(", 'reminder', ", ", ", ", 0, ", ")");
  });
  strings[strings.length - 1] += ` ON CONFLICT ("key") DO NOTHING`;
  await sql(Object.assign(strings, { raw: [...strings] }) as unknown as TemplateStringsArray, ...values);
}
