// The waiting list of a full event. When seats free up (a cancellation, a declined or expired
// offer, a rejected approval, capacity raised) the first in line whose party fits is offered a seat
// until a deadline: the seat is held for them (counted in seatsTaken) while the offer lives, so no
// one else can take it. Accept, decline and expiry are conditional moves out of `offered`: of two
// that race, exactly one happens. An expiry is a ScheduledJob (schedule.ts), never a timer.
import type { Db, Tx } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { HotSql } from "../../db/direct.js";
import type { Clock } from "../clock.js";
import { claimSeats, releaseSeats, seatsOf } from "./seats.js";
import { scheduleJob, scheduleReminders } from "./schedule.js";
import { notifyPerson } from "./notify.js";
import { hoursAfter, hoursBefore, type EventSettings } from "./settings.js";

/** Waiters looked at per freed seat round: beyond this, a party too big for the seats left waits anyway. */
const SCAN = 200;

/**
 * Offers free seats to the waiting list, first in line first (a party too big for what is free, or
 * whose region's quota is full, is passed over, keeping its place). Runs in the caller's
 * transaction after seats were released or capacity raised. Returns the enrolments offered.
 */
export async function offerFreeSeats(tx: Tx, now: Date, eventId: number, settings: EventSettings): Promise<number[]> {
  const event = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: { status: true, startsAt: true, hasQuotas: true } });
  const cutoff = hoursBefore(event.startsAt, settings.offerCutoffHours);
  if (event.status !== "published" || now >= cutoff) return [];
  const until = new Date(Math.min(hoursAfter(now, settings.offerHours).getTime(), cutoff.getTime()));
  const waiters = await tx.enrolment.findMany({ where: { eventId, status: "waiting" }, orderBy: { queueOrder: "asc" }, take: SCAN });
  const offered: number[] = [];
  for (const w of waiters) {
    if (!(await claimSeats(tx, eventId, seatsOf(w), w.regionCode, event.hasQuotas))) {
      const e = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: { capacity: true, seatsTaken: true } });
      if (e.capacity !== null && e.seatsTaken >= e.capacity) break; // nothing left for anyone
      continue;
    }
    const round = w.offerRound + 1;
    // Still waiting (not left the list since the read): else the seats go back.
    const { count } = await tx.enrolment.updateMany({ where: { id: w.id, status: "waiting" }, data: { status: "offered", offerRound: round, offerUntil: until, queueOrder: null } });
    if (count === 0) {
      await releaseSeats(tx, eventId, seatsOf(w), w.regionCode);
      continue;
    }
    await scheduleJob(tx, now, `offer-expiry:${w.id}:${round}`, until, { kind: "offer_expiry", enrolmentId: w.id, round });
    await notifyPerson(tx, now, w.personId, `event-offer:${w.id}:${round}`, { kind: "event_offer", eventId, enrolmentId: w.id, until: until.toISOString() });
    offered.push(w.id);
  }
  return offered;
}

export type OfferAnswer = "confirmed" | "pending_approval" | "declined" | "expired" | "not_offered";

/** The person accepts the seat offered to them (before its deadline). A second press answers the same. */
export async function acceptOffer(db: Db, clock: Clock, input: { enrolmentId: number; personId: number; key: string }, settings: EventSettings): Promise<OfferAnswer> {
  return transaction(db, async (tx): Promise<OfferAnswer> => {
    const now = clock();
    const e = await tx.enrolment.findFirst({ where: { id: input.enrolmentId, personId: input.personId }, include: { event: true } });
    if (!e) return "not_offered";
    const status = e.approvalNeeded ? "pending_approval" : "confirmed";
    const { count } = await tx.enrolment.updateMany({
      where: { id: e.id, status: "offered", offerUntil: { gt: now } },
      data: { status, offerUntil: null, ...(status === "confirmed" ? { confirmedAt: now } : {}) },
    });
    if (count === 0) {
      const cur = await tx.enrolment.findUniqueOrThrow({ where: { id: e.id } });
      if (cur.status === "confirmed" || cur.status === "pending_approval") return cur.status;
      return cur.endReason === "offer_expired" || cur.status === "offered" ? "expired" : "not_offered";
    }
    if (status === "confirmed") {
      await scheduleReminders(tx, now, e.event, e.id, settings);
      await notifyPerson(tx, now, e.personId, `event-confirmed:${e.id}:${e.offerRound}`, { kind: "event_confirmed", eventId: e.eventId, enrolmentId: e.id });
    }
    return status;
  });
}

/** Ends an offer (declined by the person, or expired) and passes its seats to the next in line. */
async function endOffer(tx: Tx, now: Date, enrolmentId: number, where: object, reason: "declined" | "offer_expired", settings: EventSettings): Promise<boolean> {
  const { count } = await tx.enrolment.updateMany({ where: { id: enrolmentId, status: "offered", ...where }, data: { status: "cancelled", endReason: reason, endedAt: now, offerUntil: null } });
  if (count === 0) return false;
  const e = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } });
  await releaseSeats(tx, e.eventId, seatsOf(e), e.regionCode);
  if (reason === "offer_expired") await notifyPerson(tx, now, e.personId, `event-offer-expired:${e.id}:${e.offerRound}`, { kind: "event_offer_expired", eventId: e.eventId, enrolmentId: e.id });
  await offerFreeSeats(tx, now, e.eventId, settings);
  return true;
}

/** The person declines the offered seat; it goes to the next in line. */
export async function declineOffer(db: Db, clock: Clock, input: { enrolmentId: number; personId: number; key: string }, settings: EventSettings): Promise<boolean> {
  return transaction(db, (tx) => endOffer(tx, clock(), input.enrolmentId, { personId: input.personId }, "declined", settings));
}

/** The offer's deadline passed (the due job of that round): the seat goes to the next in line. */
export async function expireOffer(tx: Tx, now: Date, enrolmentId: number, round: number, settings: EventSettings): Promise<boolean> {
  return endOffer(tx, now, enrolmentId, { offerRound: round, offerUntil: { lte: now } }, "offer_expired", settings);
}

/** A waiting person's place in line (1 = next), or null when not waiting. */
export async function waitingPosition(db: Db | Tx, enrolmentId: number): Promise<number | null> {
  const e = await db.enrolment.findUnique({ where: { id: enrolmentId }, select: { eventId: true, status: true, queueOrder: true } });
  if (!e || e.status !== "waiting" || e.queueOrder === null) return null;
  return placeInLine(db, e.eventId, e.queueOrder);
}

/** The place in line (1 = next) of the waiting enrolment that holds `queueOrder`: one count. */
export async function placeInLine(db: Db | Tx, eventId: number, queueOrder: number): Promise<number> {
  return 1 + (await db.enrolment.count({ where: { eventId, status: "waiting", queueOrder: { lt: queueOrder } } }));
}

/** waitingPosition with our own SQL (a sign-up's hot transaction). */
export async function waitingPositionSql(sql: HotSql, enrolmentId: number): Promise<number | null> {
  const [e] = await sql<{ eventId: number | bigint; status: string; queueOrder: number | bigint | null }>`SELECT "eventId", "status", "queueOrder" FROM "Enrolment" WHERE "id" = ${enrolmentId}`;
  if (!e || e.status !== "waiting" || e.queueOrder === null) return null;
  return placeInLineSql(sql, Number(e.eventId), Number(e.queueOrder));
}

/** placeInLine with our own SQL (a sign-up's hot transaction). */
export async function placeInLineSql(sql: HotSql, eventId: number, queueOrder: number): Promise<number> {
  const [r] = await sql<{ n: number | bigint }>`SELECT COUNT(*) AS "n" FROM "Enrolment" WHERE "eventId" = ${eventId} AND "status" = 'waiting' AND "queueOrder" < ${queueOrder}`;
  return 1 + Number(r!.n);
}
