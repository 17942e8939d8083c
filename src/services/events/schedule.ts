// Work due at a time (offer expiry, reminders) as ScheduledJob rows: they survive restarts and are
// run once by runDueJobs (runner.ts). Never an in-memory timer. Keys make scheduling idempotent.
import { Prisma } from "../../generated/sqlite/client.js";
import type { Tx } from "../../db/client.js";
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
  const startsAt = event.startsAt.toISOString();
  const rows = settings.reminderHours
    .map((h) => ({ h, dueAt: hoursBefore(event.startsAt, h) }))
    .filter((r) => r.dueAt > now)
    .map(({ h, dueAt }) => Prisma.sql`(${`reminder:${enrolmentId}:${h}:${event.startsAt.getTime()}`}, 'reminder', ${dueAt}, ${JSON.stringify({ kind: "reminder", enrolmentId, hoursBefore: h, startsAt })}, 0, ${now})`);
  if (!rows.length) return;
  // One statement for all of them (a sign-up is on the hot path); a key already there stays as it is.
  await tx.$executeRaw`INSERT INTO "ScheduledJob" ("key", "kind", "dueAt", "payload", "attempts", "createdAt") VALUES ${Prisma.join(rows)} ON CONFLICT ("key") DO NOTHING`;
}
