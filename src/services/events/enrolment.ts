// Signing up for an event and leaving it. The seat decision is a conditional increment of the
// event's seat counter (seats.ts), and a duplicate is refused by the unique (event, person) and the
// per-update key: a re-delivered update or a double press makes one enrolment. A full event puts
// the person on its waiting list, in the order the database saw them join.
import type { Db, Tx } from "../../db/client.js";
import { isWriteConflict, transaction } from "../../db/transaction.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { Clock } from "../clock.js";
import type { EnrolmentStatus } from "../vocabulary.js";
import { admission, type Answers, type Party, type RefusalReason } from "./rules.js";
import { hotTransaction, sqliteRunnerOf, type HotSql } from "../../db/direct.js";
import { claimSeatsSql, releaseSeats, seatsOf } from "./seats.js";
import { scheduleReminders, scheduleRemindersSql } from "./schedule.js";
import { notifyPerson, notifyOrganisersSql, notifyPersonSql } from "./notify.js";
import { offerFreeSeats, placeInLineSql, waitingPositionSql } from "./waiting-list.js";
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
async function resultOf(sql: HotSql, e: { id: number; status: string }, sameKey: boolean): Promise<SignUpResult> {
  if (sameKey && e.status === "confirmed") return { outcome: "confirmed", enrolmentId: e.id };
  if (sameKey && e.status === "pending_approval") return { outcome: "pending_approval", enrolmentId: e.id };
  if (sameKey && e.status === "waiting") return { outcome: "waiting", enrolmentId: e.id, position: (await waitingPositionSql(sql, e.id)) ?? 0 };
  return { outcome: "refused", reason: e.status === "rejected" ? "rejected" : "duplicate", enrolmentId: e.id, status: e.status as EnrolmentStatus };
}

/**
 * Signs a person up: a seat, a place in line, or an organiser's approval to wait for; or why not.
 * A sign-up is the hottest write there is (hundreds press at once when an event opens), so it is
 * one transaction of our own SQL (db/direct.ts): a fraction of Prisma's cost per statement. The
 * seat is still decided by the database, by the conditional increment (seats.ts).
 */
export async function signUp(db: Db, clock: Clock, input: SignUpInput, settings: EventSettings): Promise<SignUpResult> {
  const sqlite = sqliteRunnerOf(db) !== undefined;
  const deadline = Date.now() + 10_000;
  for (let attempt = 0, conflicts = 0; ; ) {
    try {
      const run = () => hotTransaction(db, (sql) => signUpIn(sql, clock(), input, settings));
      return await (sqlite ? oneAtATime(run) : run());
    } catch (err) {
      if (err instanceof Refused) return { outcome: "refused", reason: err.reason };
      // SQLite: another process held the write lock past the busy timeout (on PostgreSQL,
      // hotTransaction already ran it again after a write conflict): again, as transaction.ts would.
      if (sqlite && isWriteConflict(err) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(250, 5 * 2 ** conflicts++) * (0.5 + Math.random())));
        continue;
      }
      // Two presses inserted at once: the loser's transaction is undone; again, it finds the winner's row.
      if (!isUniqueViolation(err) || attempt++ > 2) throw err;
    }
  }
}

/**
 * SQLite: one sign-up transaction at a time in this process, whichever connection it is on. A
 * process normally has one connection, which takes them in turn anyway; but where one thread holds
 * several (tests standing in for processes), a BEGIN IMMEDIATE on one would block the thread for
 * the busy timeout while another's open transaction, needing that thread to finish, held the lock.
 */
let sqliteTail: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = sqliteTail.then(fn);
  sqliteTail = run.catch(() => undefined);
  return run;
}

/**
 * One row: who pressed (their Telegram id and profile), the enrolment made by this very press (its
 * key), their enrolment at this event, and the event facts a sign-up decides on (admission, seats,
 * reminders, organisers). Each part null when there is none.
 */
interface PressRow {
  personId: number | bigint | null;
  telegramId: bigint | number | null;
  profileOf: number | bigint | null;
  role: string | null;
  regionCode: string | null;
  birthDate: string | null;
  guardianConfirmedAt: Date | string | number | null;
  erasedAt: unknown;
  byKeyId: number | bigint | null;
  byKeyStatus: string | null;
  atEventId: number | bigint | null;
  atEventStatus: string | null;
  evId: number | bigint | null;
  evStatus: string;
  startsAt: Date | string;
  signUpUntil: Date | string | null;
  timeZone: string;
  audience: string;
  regions: string;
  minAge: number | bigint | null;
  maxAge: number | bigint | null;
  maxAdults: number | bigint;
  maxChildren: number | bigint;
  questions: string;
  needsApproval: boolean | number;
  hasQuotas: boolean | number;
  waitingList: boolean | number;
  createdBy: number | bigint | null;
}

const asDate = (v: Date | string | number | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
const num = (v: number | bigint | null) => (v === null ? null : Number(v));

/**
 * Who pressed, what they already have and the event, in one read (a sign-up is on the hot path).
 * `who` is null when there is no such person, `event` when there is no such event. SQLite gives
 * dates as the stored strings and booleans as 0/1.
 */
async function press(sql: HotSql, input: SignUpInput) {
  const [r] = await sql<PressRow>`SELECT p."id" AS "personId", p."telegramId", pr."personId" AS "profileOf", pr."role", pr."regionCode", pr."birthDate", pr."guardianConfirmedAt", pr."erasedAt",
      k."id" AS "byKeyId", k."status" AS "byKeyStatus", x."id" AS "atEventId", x."status" AS "atEventStatus",
      e."id" AS "evId", e."status" AS "evStatus", e."startsAt", e."signUpUntil", e."timeZone", e."audience", e."regions", e."minAge", e."maxAge", e."maxAdults", e."maxChildren",
      e."questions", e."needsApproval", e."hasQuotas", e."waitingList", e."createdBy"
    FROM (SELECT 1 AS "one") AS "q"
    LEFT JOIN "Person" p ON p."id" = ${input.personId}
    LEFT JOIN "Profile" pr ON pr."personId" = p."id"
    LEFT JOIN "Enrolment" k ON k."sourceKey" = ${input.key}
    LEFT JOIN "Enrolment" x ON x."eventId" = ${input.eventId} AND x."personId" = p."id"
    LEFT JOIN "Event" e ON e."id" = ${input.eventId}`;
  const enrolment = (id: number | bigint | null, status: string | null) => (id === null ? null : { id: Number(id), status: status! });
  const who = r!.personId === null ? null : {
    person: { telegramId: BigInt(r!.telegramId!) },
    profile: r!.profileOf !== null && r!.erasedAt === null ? { role: r!.role!, regionCode: r!.regionCode, birthDate: r!.birthDate, guardianConfirmedAt: asDate(r!.guardianConfirmedAt) } : null,
    again: enrolment(r!.byKeyId, r!.byKeyStatus),
    existing: enrolment(r!.atEventId, r!.atEventStatus),
  };
  const event = r!.evId === null ? null : {
    id: Number(r!.evId), status: r!.evStatus, startsAt: asDate(r!.startsAt)!, signUpUntil: asDate(r!.signUpUntil), timeZone: r!.timeZone, audience: r!.audience, regions: r!.regions,
    minAge: num(r!.minAge), maxAge: num(r!.maxAge), maxAdults: Number(r!.maxAdults), maxChildren: Number(r!.maxChildren), questions: r!.questions,
    needsApproval: Boolean(r!.needsApproval), hasQuotas: Boolean(r!.hasQuotas), waitingList: Boolean(r!.waitingList), createdBy: num(r!.createdBy),
  };
  return { who, event };
}

async function signUpIn(sql: HotSql, now: Date, input: SignUpInput, settings: EventSettings): Promise<SignUpResult> {
  const { who, event } = await press(sql, input);
  // This press seen before (by its key), or the person already at the event.
  if (who?.again) return resultOf(sql, who.again, true);
  const existing = who?.existing;
  if (existing && existing.status !== "cancelled") return resultOf(sql, existing, false);
  if (!event) return { outcome: "refused", reason: "not_found" };
  const profile = who?.profile ?? null;
  const party = input.party ?? { adults: 1, children: 0 };
  const answers = input.answers ?? {};
  const verdict = admission(event, profile, now, { party, answers, guardian: input.guardian });
  if ("refused" in verdict) return { outcome: "refused", reason: verdict.refused };
  // The seat decision: the conditional increment. A duplicate press that got this far fails on the
  // unique (event, person) below, which undoes this too.
  const seated = await claimSeatsSql(sql, event.id, seatsOf(party), profile!.regionCode, event.hasQuotas);
  if (!seated && !event.waitingList) return { outcome: "refused", reason: "full" };
  const status: EnrolmentStatus = !seated ? "waiting" : verdict.approvalNeeded ? "pending_approval" : "confirmed";
  const queueOrder = status === "waiting" ? await nextInLine(sql, event.id) : null;
  const f = {
    status, adults: party.adults, children: party.children, regionCode: profile!.regionCode, role: profile!.role,
    answers: Object.keys(answers).length ? JSON.stringify(answers) : null, guardian: input.guardian?.trim() || null, sourceKey: input.key,
    approvalNeeded: verdict.approvalNeeded, createdAt: now, confirmedAt: status === "confirmed" ? now : null, queueOrder,
  };
  let enrolmentId: number;
  if (existing) {
    // A cancelled enrolment is taken up again, only if it is still cancelled (else the transaction is undone).
    const rows = await sql<{ id: number }>`UPDATE "Enrolment" SET "status" = ${f.status}, "adults" = ${f.adults}, "children" = ${f.children}, "regionCode" = ${f.regionCode}, "role" = ${f.role},
        "answers" = ${f.answers}, "guardian" = ${f.guardian}, "sourceKey" = ${f.sourceKey}, "approvalNeeded" = ${f.approvalNeeded}, "createdAt" = ${f.createdAt},
        "endReason" = NULL, "endedAt" = NULL, "offerUntil" = NULL, "confirmedAt" = ${f.confirmedAt}, "queueOrder" = ${f.queueOrder}
      WHERE "id" = ${existing.id} AND "status" = 'cancelled' RETURNING "id"`;
    if (rows.length === 0) throw new Refused("duplicate");
    enrolmentId = existing.id;
  } else {
    const rows = await sql<{ id: number | bigint }>`INSERT INTO "Enrolment" ("eventId", "personId", "status", "adults", "children", "regionCode", "role", "answers", "guardian", "sourceKey",
        "approvalNeeded", "createdAt", "confirmedAt", "queueOrder")
      VALUES (${event.id}, ${input.personId}, ${f.status}, ${f.adults}, ${f.children}, ${f.regionCode}, ${f.role}, ${f.answers}, ${f.guardian}, ${f.sourceKey},
        ${f.approvalNeeded}, ${f.createdAt}, ${f.confirmedAt}, ${f.queueOrder}) RETURNING "id"`;
    enrolmentId = Number(rows[0]!.id);
  }
  if (status === "confirmed") {
    await scheduleRemindersSql(sql, now, event, enrolmentId, settings);
    await notifyPersonSql(sql, now, who!.person, `event-confirmed:${enrolmentId}:${input.key}`, { kind: "event_confirmed", eventId: event.id, enrolmentId });
    return { outcome: "confirmed", enrolmentId };
  }
  if (status === "pending_approval") {
    await notifyOrganisersSql(sql, now, event, `event-approval:${enrolmentId}:${input.key}`, { kind: "event_approval_needed", eventId: event.id, enrolmentId });
    return { outcome: "pending_approval", enrolmentId };
  }
  // Just joined the line with this place: the ones before it are those still waiting with a smaller one.
  return { outcome: "waiting", enrolmentId, position: await placeInLineSql(sql, event.id, queueOrder!) };
}

/** The next place in the event's line, from its counter: the order the database saw people join. */
async function nextInLine(sql: HotSql, eventId: number): Promise<number> {
  const rows = await sql<{ queueSeq: number | bigint }>`UPDATE "Event" SET "queueSeq" = "queueSeq" + 1 WHERE "id" = ${eventId} RETURNING "queueSeq"`;
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
