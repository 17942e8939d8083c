// Attendance: one mark per confirmed enrolment per day of the event (YYYY-MM-DD in its zone). The
// unique (enrolment, day) decides a double scan or two organisers marking at once: one mark, and
// the other learns who marked it and when.
import type { Db } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { Clock } from "../clock.js";
import { isOrganiser } from "./enrolment.js";
import { dayIn, type Organiser } from "./settings.js";

export interface CheckInInput {
  eventId: number;
  personId?: number;
  enrolmentId?: number;
  /** Defaults to today in the event's zone. */
  day?: string;
  by: Organiser;
}

export type CheckInResult =
  | { result: "marked"; attendanceId: number }
  | { result: "already"; markedBy: number | null; markedAt: Date }
  | { result: "not_enrolled" }
  | { result: "wrong_day" }
  | { result: "not_allowed" };

/** The days of an event, in its zone. */
export function eventDays(e: { timeZone: string; startsAt: Date; endsAt: Date }): string[] {
  const days: string[] = [];
  for (let t = e.startsAt.getTime(); ; t += 86_400_000) {
    const d = dayIn(e.timeZone, new Date(Math.min(t, e.endsAt.getTime())));
    if (days.at(-1) !== d) days.push(d);
    if (t >= e.endsAt.getTime()) break;
  }
  return days;
}

export async function checkIn(db: Db, clock: Clock, input: CheckInInput): Promise<CheckInResult> {
  const now = clock();
  if (!(await isOrganiser(db, input.by))) return { result: "not_allowed" };
  const e = await db.enrolment.findFirst({
    where: { eventId: input.eventId, ...(input.enrolmentId !== undefined ? { id: input.enrolmentId } : { personId: input.personId ?? -1 }) },
    include: { event: { select: { timeZone: true, startsAt: true, endsAt: true } } },
  });
  if (!e || e.status !== "confirmed") return { result: "not_enrolled" };
  const day = input.day ?? dayIn(e.event.timeZone, now);
  if (!eventDays(e.event).includes(day)) return { result: "wrong_day" };
  try {
    const a = await db.attendance.create({ data: { enrolmentId: e.id, eventId: e.eventId, day, markedBy: input.by.admin ? null : input.by.coordinatorId, markedAt: now }, select: { id: true } });
    return { result: "marked", attendanceId: a.id };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const a = await db.attendance.findUniqueOrThrow({ where: { enrolmentId_day: { enrolmentId: e.id, day } } });
    return { result: "already", markedBy: a.markedBy, markedAt: a.markedAt };
  }
}

/** Removes a mark made by mistake. */
export async function uncheck(db: Db, input: { enrolmentId: number; day: string; by: Organiser }): Promise<boolean> {
  if (!(await isOrganiser(db, input.by))) return false;
  const { count } = await db.attendance.deleteMany({ where: { enrolmentId: input.enrolmentId, day: input.day } });
  return count === 1;
}
