// What organisers do with events: create (as a draft), publish, change, cancel, and series. A change
// of time or place and a cancellation are told to everyone signed up, through the outbox in the same
// transaction; raised capacity is offered to the waiting list at once.
import type { Db, Tx } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { EVENT_KINDS, isOneOf, type EventKind } from "../vocabulary.js";
import { isOrganiser } from "./enrolment.js";
import { mayOrganise } from "./access.js";
import { notifyPerson } from "./notify.js";
import { questionsOf, type Question } from "./rules.js";
import { scheduleReminders } from "./schedule.js";
import { REST } from "./seats.js";
import { isTimeZone, type EventSettings, type Organiser } from "./settings.js";
import { offerFreeSeats } from "./waiting-list.js";

/** Text in each language; ru is required. */
export type Localised = { ru: string } & Record<string, string>;

export interface NewEvent {
  code: string;
  kind: EventKind;
  title: Localised;
  description?: Localised;
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  place?: string | null;
  onlineUrl?: string | null;
  regions?: string[];
  audience?: string[];
  minAge?: number | null;
  maxAge?: number | null;
  capacity?: number | null;
  signUpUntil?: Date | null;
  needsApproval?: boolean;
  waitingList?: boolean;
  maxAdults?: number;
  maxChildren?: number;
  questions?: Question[];
  /** Seats reserved per region code. */
  quotas?: Record<string, number>;
  seriesCode?: string;
}

export type Invalid = { invalid: string };

function check(e: NewEvent): string | null {
  if (!/^[a-z0-9_-]{2,40}$/i.test(e.code)) return "code";
  if (!isOneOf(EVENT_KINDS, e.kind)) return "kind";
  if (!e.title?.ru?.trim()) return "title";
  if (!isTimeZone(e.timeZone)) return "timeZone";
  if (!(e.endsAt > e.startsAt)) return "endsAt";
  if (e.capacity != null && (!Number.isInteger(e.capacity) || e.capacity < 0)) return "capacity";
  if (e.minAge != null && e.maxAge != null && e.minAge > e.maxAge) return "age";
  if (questionsOf(JSON.stringify(e.questions ?? [])).length !== (e.questions ?? []).length) return "questions";
  const quotas = Object.entries(e.quotas ?? {});
  for (const [region, n] of quotas) if (!Number.isInteger(n) || n < 0 || region === REST) return "quotas";
  // Quotas reserve seats out of the capacity; the rest is shared by the regions not listed.
  if (quotas.length && (e.capacity == null || quotas.reduce((a, [, n]) => a + n, 0) > e.capacity)) return "quotas";
  return null;
}

function quotaRows(e: NewEvent) {
  const listed = Object.entries(e.quotas ?? {}).map(([regionCode, seats]) => ({ regionCode, seats }));
  if (!listed.length) return [];
  return [...listed, { regionCode: REST, seats: e.capacity! - listed.reduce((a, q) => a + q.seats, 0) }];
}

export async function createSeries(db: Db, clock: Clock, s: { code: string; title: Localised; completeAfter: number }) {
  return db.eventSeries.upsert({ where: { code: s.code }, create: { code: s.code, title: JSON.stringify(s.title), completeAfter: s.completeAfter, createdAt: clock() }, update: {} });
}

/** Creates a draft event (a repeat with the same code returns the first). */
export async function createEvent(db: Db, clock: Clock, e: NewEvent, by: Organiser): Promise<{ id: number } | Invalid | "not_allowed"> {
  const bad = check(e);
  if (bad) return { invalid: bad };
  return transaction(db, async (tx) => {
    if (!(await isOrganiser(tx, by))) return "not_allowed" as const;
    const same = await tx.event.findUnique({ where: { code: e.code }, select: { id: true } });
    if (same) return same;
    const now = clock();
    const series = e.seriesCode ? await tx.eventSeries.findUnique({ where: { code: e.seriesCode }, select: { id: true } }) : null;
    if (e.seriesCode && !series) return { invalid: "seriesCode" };
    const created = await tx.event.create({
      data: {
        code: e.code, kind: e.kind, title: JSON.stringify(e.title), description: JSON.stringify(e.description ?? {}), timeZone: e.timeZone, startsAt: e.startsAt, endsAt: e.endsAt,
        place: e.place ?? null, onlineUrl: e.onlineUrl ?? null, regions: (e.regions ?? []).join(","), audience: (e.audience ?? []).join(","), minAge: e.minAge ?? null, maxAge: e.maxAge ?? null,
        capacity: e.capacity ?? null, signUpUntil: e.signUpUntil ?? null, needsApproval: e.needsApproval ?? false, waitingList: e.waitingList ?? true,
        maxAdults: e.maxAdults ?? 1, maxChildren: e.maxChildren ?? 0, questions: JSON.stringify(e.questions ?? []), seriesId: series?.id ?? null,
        createdBy: by.admin ? null : by.coordinatorId, createdAt: now, updatedAt: now,
        quotas: { create: quotaRows(e) }, hasQuotas: quotaRows(e).length > 0,
      },
      select: { id: true },
    });
    return created;
  });
}

/** Draft → published: people can see it and sign up. */
export async function publishEvent(db: Db, clock: Clock, eventId: number, by: Organiser): Promise<boolean> {
  if (!(await mayOrganise(db, by, await db.event.findUnique({ where: { id: eventId }, select: { createdBy: true } })))) return false;
  const { count } = await db.event.updateMany({ where: { id: eventId, status: "draft" }, data: { status: "published", updatedAt: clock() } });
  return count === 1;
}

const PEOPLE_TOLD: string[] = ["confirmed", "waiting", "offered", "pending_approval"];

async function tellEveryone(tx: Tx, now: Date, eventId: number, key: string, notice: Parameters<typeof notifyPerson>[4]) {
  const people = await tx.enrolment.findMany({ where: { eventId, status: { in: PEOPLE_TOLD } }, select: { personId: true } });
  for (const p of people) await notifyPerson(tx, now, p.personId, `${key}:${p.personId}`, notice);
}

export interface EventChange {
  kind?: EventKind;
  timeZone?: string;
  title?: Localised;
  description?: Localised;
  regions?: string[];
  audience?: string[];
  minAge?: number | null;
  maxAge?: number | null;
  needsApproval?: boolean;
  startsAt?: Date;
  endsAt?: Date;
  place?: string | null;
  onlineUrl?: string | null;
  capacity?: number | null;
  signUpUntil?: Date | null;
  maxAdults?: number;
  maxChildren?: number;
  /** The whole new list; a question someone has answered keeps its id, kind and options. */
  questions?: Question[];
  /** The whole new set of seats per region ({} = none); changed only while no seat is held. */
  quotas?: Record<string, number>;
  /** A series code, or null for none. */
  seriesCode?: string | null;
}

export type ChangeResult = "changed" | "not_allowed" | "not_found" | "below_taken" | "quotas_locked" | "questions_answered" | Invalid;

/** The ids of an event's questions that some sign-up has answered (its answers are in the attendees list). */
export async function answeredQuestions(db: Db | Tx, eventId: number): Promise<string[]> {
  const rows = await db.enrolment.findMany({ where: { eventId, answers: { not: null } }, select: { answers: true } });
  const ids = new Set<string>();
  for (const r of rows) for (const id of Object.keys(JSON.parse(r.answers!) as object)) ids.add(id);
  return [...ids];
}

/** Whether a change of questions leaves every answered question as it was answered (same kind and options). */
async function keepsAnswered(tx: Tx, eventId: number, before: string, after: Question[]): Promise<boolean> {
  const same = (a: Question, b: Question | undefined) => !!b && a.type === b.type && JSON.stringify(a.options ?? []) === JSON.stringify(b.options ?? []);
  const changed = questionsOf(before).filter((q) => !same(q, after.find((x) => x.id === q.id)));
  if (!changed.length) return true;
  const answered = new Set(await answeredQuestions(tx, eventId));
  return !changed.some((q) => answered.has(q.id));
}

/**
 * Replaces an event's quotas while no seat is held (the condition is in the write): held seats
 * would have to be assigned to rows again, and a sign-up deciding meanwhile could be miscounted.
 */
async function replaceQuotas(tx: Tx, eventId: number, quotas: Record<string, number>): Promise<"quotas_locked" | Invalid | null> {
  const now = Object.fromEntries((await tx.eventQuota.findMany({ where: { eventId, regionCode: { not: REST } } })).map((q) => [q.regionCode, q.seats]));
  const sorted = (o: Record<string, number>) => JSON.stringify(Object.entries(o).sort());
  if (sorted(now) === sorted(quotas)) return null;
  const event = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: { capacity: true } });
  const rows = quotaRows({ quotas, capacity: event.capacity } as NewEvent);
  if (rows.length && (event.capacity === null || rows.some((r) => !Number.isInteger(r.seats) || r.seats < 0)) || REST in quotas) return { invalid: "quotas" };
  const n = await tx.$executeRaw`UPDATE "Event" SET "hasQuotas" = ${rows.length > 0} WHERE "id" = ${eventId} AND "seatsTaken" = 0`;
  if (n === 0) return "quotas_locked";
  await tx.eventQuota.deleteMany({ where: { eventId } });
  if (rows.length) await tx.eventQuota.createMany({ data: rows.map((r) => ({ eventId, ...r })) });
  return null;
}

/**
 * Changes an event. Time or place changes are told to everyone signed up and reminders follow the
 * new time; capacity can be lowered only to the seats already held (decided in the write), and
 * raised capacity goes to the waiting list. `key` is the organiser's per-update key.
 */
export async function updateEvent(db: Db, clock: Clock, eventId: number, change: EventChange, by: Organiser, key: string, settings: EventSettings): Promise<ChangeResult> {
  try {
    return await changeIn(db, clock, eventId, change, by, key, settings);
  } catch (err) {
    if (err instanceof Undo) return err.result;
    throw err;
  }
}

/** Thrown to undo a change that turned out not allowed after a write. */
class Undo extends Error {
  constructor(readonly result: ChangeResult) {
    super("undo");
  }
}

async function changeIn(db: Db, clock: Clock, eventId: number, change: EventChange, by: Organiser, key: string, settings: EventSettings): Promise<ChangeResult> {
  return transaction(db, async (tx): Promise<ChangeResult> => {
    const now = clock();
    const before = await tx.event.findUnique({ where: { id: eventId } });
    if (!before || before.status === "cancelled") return "not_found";
    if (!(await mayOrganise(tx, by, before))) return "not_allowed";
    const startsAt = change.startsAt ?? before.startsAt;
    const endsAt = change.endsAt ?? before.endsAt;
    if (!(endsAt > startsAt)) return { invalid: "endsAt" };
    if (change.capacity !== undefined) {
      if (change.capacity !== null && (!Number.isInteger(change.capacity) || change.capacity < 0)) return { invalid: "capacity" };
      // Never below what is held: the condition is in the write, not a count read before it.
      const n = change.capacity === null
        ? await tx.$executeRaw`UPDATE "Event" SET "capacity" = NULL WHERE "id" = ${eventId}`
        : await tx.$executeRaw`UPDATE "Event" SET "capacity" = ${change.capacity} WHERE "id" = ${eventId} AND "seatsTaken" <= ${change.capacity}`;
      if (n === 0) return "below_taken";
      // With quotas, the change moves the shared rest (never below what it holds).
      const rest = await tx.eventQuota.findUnique({ where: { eventId_regionCode: { eventId, regionCode: REST } } });
      if (rest) {
        if (change.capacity === null || before.capacity === null) throw new Undo({ invalid: "capacity" });
        const delta = change.capacity - before.capacity;
        const q = await tx.$executeRaw`UPDATE "EventQuota" SET "seats" = "seats" + ${delta} WHERE "eventId" = ${eventId} AND "regionCode" = ${REST} AND "taken" <= "seats" + ${delta}`;
        if (q === 0) throw new Undo("below_taken");
      }
    }
    const { capacity: _c, title, description, regions, audience, questions, quotas, seriesCode, ...plain } = change;
    if (questions !== undefined && !(await keepsAnswered(tx, eventId, before.questions, questions))) throw new Undo("questions_answered");
    if (questions !== undefined && questionsOf(JSON.stringify(questions)).length !== questions.length) throw new Undo({ invalid: "questions" });
    if (quotas !== undefined) {
      const q = await replaceQuotas(tx, eventId, quotas);
      if (q) throw new Undo(q);
    }
    const series = seriesCode ? await tx.eventSeries.findUnique({ where: { code: seriesCode }, select: { id: true } }) : null;
    if (seriesCode && !series) throw new Undo({ invalid: "series" });
    const linked = { ...(questions ? { questions: JSON.stringify(questions) } : {}), ...(seriesCode !== undefined ? { seriesId: series?.id ?? null } : {}) };
    if (plain.kind !== undefined && !isOneOf(EVENT_KINDS, plain.kind)) throw new Undo({ invalid: "kind" });
    if ((plain.maxAdults !== undefined && !(Number.isInteger(plain.maxAdults) && plain.maxAdults >= 1)) || (plain.maxChildren !== undefined && !(Number.isInteger(plain.maxChildren) && plain.maxChildren >= 0))) throw new Undo({ invalid: "party" });
    if (plain.timeZone !== undefined && !isTimeZone(plain.timeZone)) throw new Undo({ invalid: "timeZone" });
    if (title !== undefined && !title.ru?.trim()) throw new Undo({ invalid: "title" });
    const lists = { ...(regions ? { regions: regions.join(",") } : {}), ...(audience ? { audience: audience.join(",") } : {}) };
    const texts = { ...(title ? { title: JSON.stringify(title) } : {}), ...(description ? { description: JSON.stringify(description) } : {}) };
    await tx.event.update({ where: { id: eventId }, data: { ...plain, ...lists, ...texts, ...linked, updatedAt: now } });
    const fields = (["startsAt", "endsAt", "place", "onlineUrl"] as const).filter((f) => change[f] !== undefined && String(change[f]) !== String(before[f]));
    if (fields.length && before.status === "published") {
      await tellEveryone(tx, now, eventId, `event-changed:${eventId}:${key}`, { kind: "event_changed", eventId, fields });
      if (fields.includes("startsAt")) {
        const confirmed = await tx.enrolment.findMany({ where: { eventId, status: "confirmed" }, select: { id: true } });
        for (const c of confirmed) await scheduleReminders(tx, now, { startsAt }, c.id, settings);
      }
    }
    await offerFreeSeats(tx, now, eventId, settings);
    return "changed";
  });
}

/** Cancels an event: every enrolment ends and everyone signed up is told. */
export async function cancelEvent(db: Db, clock: Clock, eventId: number, by: Organiser, key: string): Promise<"cancelled" | "not_allowed" | "not_found"> {
  return transaction(db, async (tx) => {
    const now = clock();
    if (!(await mayOrganise(tx, by, await tx.event.findUnique({ where: { id: eventId }, select: { createdBy: true } })))) return "not_allowed" as const;
    const { count } = await tx.event.updateMany({ where: { id: eventId, status: { in: ["draft", "published"] } }, data: { status: "cancelled", updatedAt: now } });
    if (count === 0) return "not_found" as const;
    await tellEveryone(tx, now, eventId, `event-cancelled:${eventId}:${key}`, { kind: "event_cancelled", eventId });
    await tx.enrolment.updateMany({ where: { eventId, status: { in: PEOPLE_TOLD } }, data: { status: "cancelled", endReason: "event_cancelled", endedAt: now, offerUntil: null, queueOrder: null } });
    await tx.$executeRaw`UPDATE "Event" SET "seatsTaken" = 0 WHERE "id" = ${eventId}`;
    await tx.$executeRaw`UPDATE "EventQuota" SET "taken" = 0 WHERE "eventId" = ${eventId}`;
    return "cancelled" as const;
  });
}

/** Published events that have ended become `finished` (for lists and reports); returns how many. */
export async function finishEndedEvents(db: Db, clock: Clock): Promise<number> {
  const now = clock();
  const { count } = await db.event.updateMany({ where: { status: "published", endsAt: { lte: now } }, data: { status: "finished", updatedAt: now } });
  return count;
}
