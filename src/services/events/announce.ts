// An organiser writes to everyone at an event: the confirmed participants, and if asked the waiting
// list too (with those offered a seat or awaiting approval). The text is written once (EventMessage)
// and each recipient gets an outbox row with its id only, rendered at send time in their language;
// the outbox paces delivery. The confirming press's key is the message's: a re-delivered press
// writes and queues nothing more.
import type { Db, Tx } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { mayOrganise } from "./access.js";
import { notifyPerson } from "./notify.js";
import type { Organiser } from "./settings.js";

/** The longest message an organiser may write (the rest of a Telegram message is the heading). */
export const ANNOUNCEMENT_MAX = 3500;

const statusesFor = (waiting: boolean) => (waiting ? ["confirmed", "waiting", "offered", "pending_approval"] : ["confirmed"]);

/** Whom a message would reach (people who erased their data are never written to). */
export async function announcementAudience(db: Db | Tx, eventId: number, waiting: boolean): Promise<number> {
  return db.enrolment.count({ where: { eventId, status: { in: statusesFor(waiting) }, person: { telegramId: { gt: 0 } } } });
}

export type AnnounceResult = { messageId: number; recipients: number } | "not_allowed" | "not_found" | "empty" | "too_long";

export async function announce(db: Db, clock: Clock, input: { eventId: number; text: string; waiting: boolean; by: Organiser; key: string }): Promise<AnnounceResult> {
  const text = input.text.trim();
  if (!text) return "empty";
  if (text.length > ANNOUNCEMENT_MAX) return "too_long";
  return transaction(db, async (tx): Promise<AnnounceResult> => {
    const seen = await tx.eventMessage.findUnique({ where: { sourceKey: input.key } });
    if (seen) return { messageId: seen.id, recipients: seen.recipients };
    const event = await tx.event.findUnique({ where: { id: input.eventId }, select: { id: true, createdBy: true, status: true } });
    if (!event || event.status === "cancelled") return "not_found";
    if (!(await mayOrganise(tx, input.by, event))) return "not_allowed";
    const now = clock();
    const people = await tx.enrolment.findMany({ where: { eventId: event.id, status: { in: statusesFor(input.waiting) } }, select: { personId: true, person: { select: { telegramId: true } } }, orderBy: { id: "asc" } });
    const to = people.filter((p) => p.person.telegramId > 0n);
    const m = await tx.eventMessage.create({
      data: { eventId: event.id, text, waiting: input.waiting, createdBy: input.by.admin ? null : input.by.coordinatorId, sourceKey: input.key, recipients: to.length, createdAt: now },
      select: { id: true },
    });
    for (const p of to) await notifyPerson(tx, now, p.person, `event-message:${m.id}:${p.personId}`, { kind: "event_message", eventId: event.id, messageId: m.id });
    return { messageId: m.id, recipients: to.length };
  });
}
