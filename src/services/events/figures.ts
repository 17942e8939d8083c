// Figures for reports: per event, per series and per period. Counted from enrolments and attendance,
// which erasure keeps (it clears only answers and the guardian's contact), so erased people still
// count. No personal data comes out: ids of regions and roles, and numbers.
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";

export interface Breakdown {
  key: string;
  confirmed: number;
  attended: number;
}

export interface EventFigures {
  /** Ever signed up (every enrolment, whatever became of it). */
  signedUp: number;
  confirmed: number;
  waiting: number;
  offered: number;
  pendingApproval: number;
  /** Confirmed after an organiser's approval. */
  approved: number;
  rejected: number;
  cancelled: number;
  /** Seats confirmed (adults + children), for families. */
  confirmedSeats: number;
  /** Confirmed enrolments with at least one day marked. */
  attended: number;
  /** Confirmed enrolments with no day marked, once the event has ended (null before). */
  noShows: number | null;
  byRegion: Breakdown[];
  byRole: Breakdown[];
}

export async function eventFigures(db: Db, clock: Clock, eventId: number): Promise<EventFigures | null> {
  const event = await db.event.findUnique({ where: { id: eventId }, select: { endsAt: true } });
  if (!event) return null;
  const rows = await db.enrolment.findMany({
    where: { eventId },
    select: { status: true, regionCode: true, role: true, decidedBy: true, adults: true, children: true, _count: { select: { attendance: true } } },
  });
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  const confirmed = rows.filter((r) => r.status === "confirmed");
  const attended = confirmed.filter((r) => r._count.attendance > 0).length;
  const breakdown = (pick: (r: (typeof rows)[number]) => string | null): Breakdown[] => {
    const m = new Map<string, Breakdown>();
    for (const r of confirmed) {
      const key = pick(r) ?? "unknown";
      const b = m.get(key) ?? { key, confirmed: 0, attended: 0 };
      b.confirmed++;
      if (r._count.attendance > 0) b.attended++;
      m.set(key, b);
    }
    return [...m.values()].sort((a, b) => a.key.localeCompare(b.key));
  };
  return {
    signedUp: rows.length, confirmed: confirmed.length, waiting: count("waiting"), offered: count("offered"), pendingApproval: count("pending_approval"),
    approved: confirmed.filter((r) => r.decidedBy !== null).length, rejected: count("rejected"), cancelled: count("cancelled"),
    confirmedSeats: confirmed.reduce((n, r) => n + r.adults + r.children, 0),
    attended, noShows: clock() >= event.endsAt ? confirmed.length - attended : null,
    byRegion: breakdown((r) => r.regionCode), byRole: breakdown((r) => r.role),
  };
}

/** How many people attended at least one event of the series, and how many met its completion rule. */
export async function seriesFigures(db: Db, seriesId: number): Promise<{ events: number; participants: number; completed: number } | null> {
  const series = await db.eventSeries.findUnique({ where: { id: seriesId }, select: { completeAfter: true, _count: { select: { events: { where: { status: { not: "cancelled" } } } } } } });
  if (!series) return null;
  // Events attended per person: distinct events with at least one day marked.
  const marks = await db.attendance.findMany({ where: { enrolment: { event: { seriesId } } }, select: { eventId: true, enrolment: { select: { personId: true } } }, distinct: ["enrolmentId"] });
  const perPerson = new Map<number, Set<number>>();
  for (const m of marks) {
    const s = perPerson.get(m.enrolment.personId) ?? new Set<number>();
    s.add(m.eventId);
    perPerson.set(m.enrolment.personId, s);
  }
  const completed = [...perPerson.values()].filter((s) => s.size >= series.completeAfter).length;
  return { events: series._count.events, participants: perPerson.size, completed };
}

/** Events held (not cancelled) that started in [from, to), and the distinct people who attended them. */
export async function periodFigures(db: Db, from: Date, to: Date): Promise<{ eventsHeld: number; participants: number; attendances: number }> {
  const range = { startsAt: { gte: from, lt: to }, status: { in: ["published", "finished"] } };
  const eventsHeld = await db.event.count({ where: range });
  const marks = await db.attendance.findMany({ where: { enrolment: { event: range } }, select: { enrolment: { select: { personId: true } } }, distinct: ["enrolmentId"] });
  return { eventsHeld, participants: new Set(marks.map((m) => m.enrolment.personId)).size, attendances: marks.length };
}
