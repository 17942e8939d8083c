// Signing up for an event and leaving it. The seat decision is a conditional increment of the
// event's seat counter (seats.ts), and a duplicate is refused by the unique (event, person) and the
// per-update key: a re-delivered update or a double press makes one enrolment. A full event puts
// the person on its waiting list, in the order the database saw them join.
import type { Db, Tx } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { Clock } from "../clock.js";
import type { EnrolmentStatus } from "../vocabulary.js";
import { admission, type Answers, type Party, type RefusalReason } from "./rules.js";
import { claimSeats, releaseSeats, seatsOf } from "./seats.js";
import { scheduleReminders } from "./schedule.js";
import { notifyOrganisers, notifyPerson } from "./notify.js";
import { offerFreeSeats, placeInLine, waitingPosition } from "./waiting-list.js";
import { mayOrganise } from "./access.js";
import type { EventSettings, Organiser } from "./settings.js";

export interface SignUpInput {
  eventId: number;
  personId: number;
  answers?: Answers;
  party?: Party;
  /** A minor's parent or guardian: name and phone, free text. */
  guardian?: string | null;
  /** Per-update key of the press. */
  key: string;
}

export type SignUpResult =
  | { outcome: "confirmed"; enrolmentId: number }
  | { outcome: "waiting"; enrolmentId: number; position: number }
  | { outcome: "pending_approval"; enrolmentId: number }
  | { outcome: "refused"; reason: RefusalReason; enrolmentId?: number; status?: EnrolmentStatus };

const ACTIVE: EnrolmentStatus[] = ["confirmed", "waiting", "offered", "pending_approval"];

/** What an existing enrolment means to the one who pressed again. */
async function resultOf(tx: Tx, e: { id: number; status: string }, sameKey: boolean): Promise<SignUpResult> {
  if (sameKey && e.status === "confirmed") return { outcome: "confirmed", enrolmentId: e.id };
  if (sameKey && e.status === "pending_approval") return { outcome: "pending_approval", enrolmentId: e.id };
  if (sameKey && e.status === "waiting") return { outcome: "waiting", enrolmentId: e.id, position: (await waitingPosition(tx, e.id)) ?? 0 };
  return { outcome: "refused", reason: e.status === "rejected" ? "rejected" : "duplicate", enrolmentId: e.id, status: e.status as EnrolmentStatus };
}

/** Signs a person up: a seat, a place in line, or an organiser's approval to wait for; or why not. */
export async function signUp(db: Db, clock: Clock, input: SignUpInput, settings: EventSettings): Promise<SignUpResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await transaction(db, (tx) => signUpIn(tx, clock(), input, settings));
    } catch (err) {
      if (err instanceof Refused) return { outcome: "refused", reason: err.reason };
      // Two presses inserted at once: the loser's transaction is undone; again, it finds the winner's row.
      if (!isUniqueViolation(err) || attempt > 2) throw err;
    }
  }
}

/** The event facts a sign-up decides on (admission, seats, reminders, organisers), and nothing else. */
const SIGN_UP_FACTS = {
  id: true, status: true, startsAt: true, signUpUntil: true, timeZone: true, audience: true, regions: true, minAge: true, maxAge: true,
  maxAdults: true, maxChildren: true, questions: true, needsApproval: true, hasQuotas: true, waitingList: true, createdBy: true,
} as const;

/** One row: the person, their profile (if any) and the enrolments this press may already have made. */
interface Presser {
  telegramId: bigint | number;
  profileOf: number | bigint | null;
  role: string | null;
  regionCode: string | null;
  birthDate: string | null;
  guardianConfirmedAt: unknown;
  erasedAt: unknown;
  byKeyId: number | bigint | null;
  byKeyStatus: string | null;
  atEventId: number | bigint | null;
  atEventStatus: string | null;
}

/**
 * Who pressed and what they already have, in one read (a sign-up is on the hot path): the person's
 * Telegram id and profile, the enrolment made by this very press (its key), and their enrolment at
 * this event. Null when there is no such person.
 */
async function presser(tx: Tx, input: SignUpInput) {
  const [row] = await tx.$queryRaw<Presser[]>`SELECT p."telegramId", pr."personId" AS "profileOf", pr."role", pr."regionCode", pr."birthDate", pr."guardianConfirmedAt", pr."erasedAt",
      k."id" AS "byKeyId", k."status" AS "byKeyStatus", x."id" AS "atEventId", x."status" AS "atEventStatus"
    FROM "Person" p
    LEFT JOIN "Profile" pr ON pr."personId" = p."id"
    LEFT JOIN "Enrolment" k ON k."sourceKey" = ${input.key}
    LEFT JOIN "Enrolment" x ON x."eventId" = ${input.eventId} AND x."personId" = p."id"
    WHERE p."id" = ${input.personId}`;
  if (!row) return null;
  const enrolment = (id: number | bigint | null, status: string | null) => (id === null ? null : { id: Number(id), status: status! });
  return {
    person: { telegramId: BigInt(row.telegramId) },
    profile: row.profileOf !== null && row.erasedAt === null ? { role: row.role!, regionCode: row.regionCode, birthDate: row.birthDate, guardianConfirmedAt: row.guardianConfirmedAt === null ? null : new Date(row.guardianConfirmedAt as string | number | Date) } : null,
    again: enrolment(row.byKeyId, row.byKeyStatus),
    existing: enrolment(row.atEventId, row.atEventStatus),
  };
}

async function signUpIn(tx: Tx, now: Date, input: SignUpInput, settings: EventSettings): Promise<SignUpResult> {
  const who = await presser(tx, input);
  // This press seen before (by its key), or the person already at the event.
  if (who?.again) return resultOf(tx, who.again, true);
  const existing = who?.existing;
  if (existing && existing.status !== "cancelled") return resultOf(tx, existing, false);
  const event = await tx.event.findUnique({ where: { id: input.eventId }, select: SIGN_UP_FACTS });
  if (!event) return { outcome: "refused", reason: "not_found" };
  const profile = who?.profile ?? null;
  const party = input.party ?? { adults: 1, children: 0 };
  const answers = input.answers ?? {};
  const verdict = admission(event, profile, now, { party, answers, guardian: input.guardian });
  if ("refused" in verdict) return { outcome: "refused", reason: verdict.refused };
  // The seat decision: the conditional increment. A duplicate press that got this far fails on the
  // unique (event, person) below, which undoes this too.
  const seated = await claimSeats(tx, event.id, seatsOf(party), profile!.regionCode, event.hasQuotas);
  if (!seated && !event.waitingList) return { outcome: "refused", reason: "full" };
  const status: EnrolmentStatus = !seated ? "waiting" : verdict.approvalNeeded ? "pending_approval" : "confirmed";
  const queueOrder = status === "waiting" ? await nextInLine(tx, event.id) : null;
  const fields = {
    status, adults: party.adults, children: party.children, regionCode: profile!.regionCode, role: profile!.role,
    answers: Object.keys(answers).length ? JSON.stringify(answers) : null, guardian: input.guardian?.trim() || null, sourceKey: input.key,
    approvalNeeded: verdict.approvalNeeded, createdAt: now, endReason: null, endedAt: null, offerUntil: null,
    confirmedAt: status === "confirmed" ? now : null, queueOrder,
  };
  let enrolmentId: number;
  if (existing) {
    // A cancelled enrolment is taken up again, only if it is still cancelled (else the transaction is undone).
    const { count } = await tx.enrolment.updateMany({ where: { id: existing.id, status: "cancelled" }, data: fields });
    if (count === 0) throw new Refused("duplicate");
    enrolmentId = existing.id;
  } else {
    enrolmentId = (await tx.enrolment.create({ data: { ...fields, eventId: event.id, personId: input.personId }, select: { id: true } })).id;
  }
  if (status === "confirmed") {
    await scheduleReminders(tx, now, event, enrolmentId, settings);
    await notifyPerson(tx, now, who!.person, `event-confirmed:${enrolmentId}:${input.key}`, { kind: "event_confirmed", eventId: event.id, enrolmentId });
    return { outcome: "confirmed", enrolmentId };
  }
  if (status === "pending_approval") {
    await notifyOrganisers(tx, now, event, `event-approval:${enrolmentId}:${input.key}`, { kind: "event_approval_needed", eventId: event.id, enrolmentId });
    return { outcome: "pending_approval", enrolmentId };
  }
  // Just joined the line with this place: the ones before it are those still waiting with a smaller one.
  return { outcome: "waiting", enrolmentId, position: await placeInLine(tx, event.id, queueOrder!) };
}

/** The next place in the event's line, from its counter: the order the database saw people join. */
async function nextInLine(tx: Tx, eventId: number): Promise<number> {
  const rows = await tx.$queryRaw<{ queueSeq: number | bigint }[]>`UPDATE "Event" SET "queueSeq" = "queueSeq" + 1 WHERE "id" = ${eventId} RETURNING "queueSeq"`;
  return Number(rows[0]!.queueSeq);
}

/** Thrown to undo a sign-up transaction that ended in a refusal after writing. */
class Refused extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason);
  }
}

export type CancelResult = "cancelled" | "too_late" | "not_enrolled";

/**
 * The person leaves an event (until its start) or its waiting list: seats they held go to the first
 * in line. Only a move out of an active status counts, so a repeat or a race with an offer's expiry
 * ends one way.
 */
export async function cancelEnrolment(db: Db, clock: Clock, input: { eventId: number; personId: number; key: string }, settings: EventSettings): Promise<CancelResult> {
  return transaction(db, async (tx): Promise<CancelResult> => {
    const now = clock();
    const e = await tx.enrolment.findUnique({ where: { eventId_personId: { eventId: input.eventId, personId: input.personId } }, include: { event: { select: { startsAt: true } } } });
    if (!e) return "not_enrolled";
    if (now >= e.event.startsAt) return "too_late";
    const data = { status: "cancelled", endReason: "person", endedAt: now, offerUntil: null, queueOrder: null };
    const held = await tx.enrolment.updateMany({ where: { id: e.id, status: { in: ["confirmed", "offered", "pending_approval"] } }, data });
    if (held.count === 1) {
      await releaseSeats(tx, e.eventId, seatsOf(e), e.regionCode);
      await offerFreeSeats(tx, now, e.eventId, settings);
      return "cancelled";
    }
    const waiting = await tx.enrolment.updateMany({ where: { id: e.id, status: "waiting" }, data });
    return waiting.count === 1 ? "cancelled" : "not_enrolled";
  });
}

export type ApprovalResult = "confirmed" | "rejected" | "not_pending";

/** An organiser approves or rejects a sign-up that waits for approval; a rejected one's seats go on. */
export async function decideApproval(db: Db, clock: Clock, input: { enrolmentId: number; approve: boolean; by: Organiser; key: string }, settings: EventSettings): Promise<ApprovalResult | "not_allowed"> {
  return transaction(db, async (tx) => {
    const now = clock();
    const of = await tx.enrolment.findUnique({ where: { id: input.enrolmentId }, select: { event: { select: { createdBy: true } } } });
    if (!of) return "not_pending";
    if (!(await mayOrganise(tx, input.by, of.event))) return "not_allowed";
    const status = input.approve ? "confirmed" : "rejected";
    const { count } = await tx.enrolment.updateMany({
      where: { id: input.enrolmentId, status: "pending_approval" },
      data: { status, decidedBy: input.by.coordinatorId, ...(input.approve ? { confirmedAt: now } : { endReason: "rejected", endedAt: now }) },
    });
    if (count === 0) return "not_pending";
    const e = await tx.enrolment.findUniqueOrThrow({ where: { id: input.enrolmentId }, include: { event: true } });
    if (input.approve) {
      await scheduleReminders(tx, now, e.event, e.id, settings);
      await notifyPerson(tx, now, e.personId, `event-confirmed:${e.id}:approved`, { kind: "event_confirmed", eventId: e.eventId, enrolmentId: e.id });
      return "confirmed";
    }
    await releaseSeats(tx, e.eventId, seatsOf(e), e.regionCode);
    await notifyPerson(tx, now, e.personId, `event-rejected:${e.id}`, { kind: "event_rejected", eventId: e.eventId, enrolmentId: e.id });
    await offerFreeSeats(tx, now, e.eventId, settings);
    return "rejected";
  });
}

export { isOrganiser } from "./access.js";

/**
 * An erased person leaves the events that have not started (their seats go to the first in line),
 * and their answers and guardian's contact go; status, region and role stay for the figures.
 * Runs inside the erasure's transaction (people/erasure.ts).
 */
export async function eraseFromEvents(tx: Tx, now: Date, personId: number, settings: EventSettings): Promise<void> {
  const upcoming = await tx.enrolment.findMany({ where: { personId, status: { in: ACTIVE }, event: { startsAt: { gt: now } } } });
  for (const e of upcoming) {
    const held = await tx.enrolment.updateMany({ where: { id: e.id, status: { in: ["confirmed", "offered", "pending_approval"] } }, data: { status: "cancelled", endReason: "erased", endedAt: now, offerUntil: null } });
    if (held.count === 1) {
      await releaseSeats(tx, e.eventId, seatsOf(e), e.regionCode);
      await offerFreeSeats(tx, now, e.eventId, settings);
    } else {
      await tx.enrolment.updateMany({ where: { id: e.id, status: "waiting" }, data: { status: "cancelled", endReason: "erased", endedAt: now, queueOrder: null } });
    }
  }
  await tx.enrolment.updateMany({ where: { personId }, data: { answers: null, guardian: null, sourceKey: null } });
}
