// Runs due ScheduledJob rows (offer expiry, reminders, erasure after a withdrawal of consent). A row is claimed with a lease by a
// conditional update, so of several processes one works on it; its effect (an outbox notice, an
// offer passed on) and its `doneAt` are written in one transaction that only commits while the row
// is still undone, so a restart, a lapsed lease or two runners at once still do it exactly once.
import type { Db, Tx } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import type { JobPayload } from "./schedule.js";
import { notifyPerson } from "./notify.js";
import { expireOffer } from "./waiting-list.js";
import type { EventSettings } from "./settings.js";
import { eraseInTransaction } from "../people/erasure.js";

export const JOB_LEASE_MS = 60_000;

/** Thrown to undo a job's transaction when another runner finished the row first. */
class AlreadyDone extends Error {}

/**
 * Whether a reminder due long ago is no longer worth sending: the event has begun, or a closer
 * reminder is due as well (the runner was down), which says it better.
 */
export function reminderStale(now: Date, startsAt: Date, hoursBefore: number, settings: EventSettings): boolean {
  if (now >= startsAt) return true;
  return settings.reminderHours.some((h) => h < hoursBefore && now.getTime() >= startsAt.getTime() - h * 3_600_000);
}

async function runReminder(tx: Tx, now: Date, p: Extract<JobPayload, { kind: "reminder" }>, settings: EventSettings) {
  const e = await tx.enrolment.findUnique({ where: { id: p.enrolmentId }, include: { event: { select: { status: true, startsAt: true } } } });
  // Nothing to remind of: no longer confirmed, the event cancelled or moved (the new time has its own).
  if (!e || e.status !== "confirmed" || e.event.status !== "published" || e.event.startsAt.toISOString() !== p.startsAt) return;
  if (reminderStale(now, e.event.startsAt, p.hoursBefore, settings)) return;
  await notifyPerson(tx, now, e.personId, `event-reminder:${e.id}:${p.hoursBefore}:${p.startsAt}`, { kind: "event_reminder", eventId: e.eventId, enrolmentId: e.id, hoursBefore: p.hoursBefore });
}

/** What jobs of other capabilities need from the bot: the session keys of a Telegram id (erasure). */
export interface JobHooks {
  sessionKeysOf(telegramId: bigint): string[];
}
const NO_HOOKS: JobHooks = { sessionKeysOf: (id) => [String(id)] };

async function runErasure(tx: Tx, now: Date, personId: number, settings: EventSettings, hooks: JobHooks) {
  // Consent given again meanwhile cancels the job (giveConsent); checked here too.
  const inForce = await tx.consent.count({ where: { personId, withdrawnAt: null } });
  if (inForce === 0) await eraseInTransaction(tx, now, personId, hooks.sessionKeysOf, settings);
}

async function runJob(tx: Tx, now: Date, p: JobPayload, settings: EventSettings, hooks: JobHooks) {
  if (p.kind === "reminder") await runReminder(tx, now, p, settings);
  else if (p.kind === "offer_expiry") await expireOffer(tx, now, p.enrolmentId, p.round, settings);
  else if (p.kind === "erasure") await runErasure(tx, now, p.personId, settings, hooks);
}

/** Runs up to `limit` due jobs; returns how many this runner completed. */
export async function runDueJobs(db: Db, clock: Clock, settings: EventSettings, limit = 100, hooks: JobHooks = NO_HOOKS): Promise<number> {
  let done = 0;
  const skip: number[] = [];
  for (let i = 0; i < limit; i++) {
    const now = clock();
    const free = { doneAt: null, dueAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
    const row = await db.scheduledJob.findFirst({ where: { ...free, ...(skip.length ? { id: { notIn: skip } } : {}) }, orderBy: { dueAt: "asc" } });
    if (!row) break;
    const claimed = await db.scheduledJob.updateMany({ where: { id: row.id, ...free }, data: { claimedUntil: new Date(now.getTime() + JOB_LEASE_MS), attempts: { increment: 1 } } });
    if (claimed.count === 0) continue; // another runner has it
    try {
      await transaction(db, async (tx) => {
        await runJob(tx, now, JSON.parse(row.payload) as JobPayload, settings, hooks);
        const fin = await tx.scheduledJob.updateMany({ where: { id: row.id, doneAt: null }, data: { doneAt: now, claimedUntil: null } });
        if (fin.count === 0) throw new AlreadyDone();
      });
      done++;
    } catch (err) {
      if (err instanceof AlreadyDone) continue;
      skip.push(row.id);
      // Tried again after a pause that grows with the attempts; the error is kept without personal data.
      const pause = Math.min(3_600_000, 2 ** Math.min(row.attempts + 1, 20) * 1000);
      await db.scheduledJob.updateMany({ where: { id: row.id, doneAt: null }, data: { claimedUntil: new Date(now.getTime() + pause), lastError: String((err as Error)?.message ?? err).slice(0, 300) } });
    }
  }
  return done;
}

/** Forgets jobs done before `olderThan`. */
export async function pruneJobs(db: Db, olderThan: Date): Promise<number> {
  const { count } = await db.scheduledJob.deleteMany({ where: { doneAt: { lt: olderThan } } });
  return count;
}
