// What an organiser looks at: their events (paged), each event's sign-ups by status (awaiting
// approval, waiting list in line order, confirmed) and a day's attendance sheet. Read-only; who may
// look is the caller's check (access.ts mayOrganise), these only read.
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { organisedBy } from "./access.js";
import type { Organiser } from "./settings.js";

/** Events whose end is older than this are left out of the organiser's list (the CLI has them all). */
const RECENT_DAYS = 60;

export async function organisersEvents(db: Db, clock: Clock, by: Organiser, page: number, pageSize: number) {
  const since = new Date(clock().getTime() - RECENT_DAYS * 86_400_000);
  const rows = await db.event.findMany({
    where: { ...organisedBy(by), status: { not: "cancelled" }, endsAt: { gt: since } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    skip: page * pageSize,
    take: pageSize + 1,
    select: { id: true, code: true, title: true, status: true, startsAt: true, endsAt: true, timeZone: true },
  });
  return { items: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}

/** The lists an organiser sees of an event's sign-ups. */
export const ROSTER_LISTS = ["pending_approval", "waiting", "confirmed"] as const;
export type RosterList = (typeof ROSTER_LISTS)[number];

export interface RosterEntry {
  enrolmentId: number;
  /** Null once the person erased their data. */
  name: string | null;
  regionCode: string | null;
  role: string | null;
  seats: number;
}

/** One page of an event's sign-ups in a list: the waiting list in line order (offers first), others by sign-up. */
export async function signUps(db: Db, eventId: number, list: RosterList, page: number, pageSize: number) {
  const statuses = list === "waiting" ? ["offered", "waiting"] : [list];
  const where = { eventId, status: { in: statuses } };
  const [total, rows] = await Promise.all([
    db.enrolment.count({ where }),
    db.enrolment.findMany({
      where,
      orderBy: list === "waiting" ? [{ status: "asc" }, { queueOrder: "asc" }, { id: "asc" }] : [{ id: "asc" }],
      skip: page * pageSize,
      take: pageSize,
      select: { id: true, regionCode: true, role: true, adults: true, children: true, person: { select: { profile: { select: { fullName: true, erasedAt: true } } } } },
    }),
  ]);
  const items: RosterEntry[] = rows.map((r) => ({
    enrolmentId: r.id, name: r.person.profile && !r.person.profile.erasedAt ? r.person.profile.fullName : null,
    regionCode: r.regionCode, role: r.role, seats: r.adults + r.children,
  }));
  return { items, total, hasMore: (page + 1) * pageSize < total };
}

/** A day's attendance sheet: the confirmed participants with whether they were marked that day. */
export async function attendanceSheet(db: Db, eventId: number, day: string, page: number, pageSize: number) {
  const where = { eventId, status: "confirmed" };
  const [total, present, rows] = await Promise.all([
    db.enrolment.count({ where }),
    db.attendance.count({ where: { eventId, day, enrolment: { status: "confirmed" } } }),
    db.enrolment.findMany({
      where, orderBy: { id: "asc" }, skip: page * pageSize, take: pageSize,
      select: { id: true, person: { select: { profile: { select: { fullName: true, erasedAt: true } } } }, attendance: { where: { day }, select: { id: true } } },
    }),
  ]);
  return {
    total, present, hasMore: (page + 1) * pageSize < total,
    items: rows.map((r) => ({ enrolmentId: r.id, name: r.person.profile && !r.person.profile.erasedAt ? r.person.profile.fullName : null, present: r.attendance.length > 0 })),
  };
}
