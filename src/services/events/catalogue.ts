// What a person sees of the events: upcoming published ones they may sign up for (their role,
// region and age admit them), soonest first, paged, with the seats left and their own status.
// Events a person could not join are left out rather than listed after: a list of refusals helps
// nobody, and the rules are the same ones signUp checks (rules.ts). Read-only.
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { ageOn } from "../validation.js";
import { freeSeats } from "./seats.js";

export interface CatalogueEntry {
  id: number;
  code: string;
  kind: string;
  title: Record<string, string>;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  place: string | null;
  online: boolean;
  /** Null = unlimited. */
  freeSeats: number | null;
  waitingList: boolean;
  /** The person's enrolment status, if any. */
  mine: string | null;
}

export interface CataloguePage {
  items: CatalogueEntry[];
  page: number;
  hasMore: boolean;
}

/** A comma list (empty = all) that admits `value`, as a query on the column. */
const admits = (column: "regions" | "audience", value: string | null) =>
  value === null
    ? [{ [column]: "" }]
    : [{ [column]: "" }, { [column]: value }, { [column]: { startsWith: `${value},` } }, { [column]: { endsWith: `,${value}` } }, { [column]: { contains: `,${value},` } }];

export async function catalogue(db: Db, clock: Clock, personId: number, page = 0, pageSize = 5): Promise<CataloguePage> {
  const now = clock();
  const profile = await db.profile.findUnique({ where: { personId }, select: { role: true, regionCode: true, birthDate: true } });
  const age = profile?.birthDate ? ageOn(profile.birthDate, now) : null;
  const rows = await db.event.findMany({
    where: {
      status: "published",
      startsAt: { gt: now },
      AND: [
        { OR: admits("audience", profile?.role ?? null) },
        { OR: admits("regions", profile?.regionCode ?? null) },
        { OR: [{ minAge: null }, ...(age !== null ? [{ minAge: { lte: age } }] : [])] },
        { OR: [{ maxAge: null }, ...(age !== null ? [{ maxAge: { gte: age } }] : [])] },
      ],
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    skip: page * pageSize,
    take: pageSize + 1,
    select: { id: true, code: true, kind: true, title: true, startsAt: true, endsAt: true, timeZone: true, place: true, onlineUrl: true, capacity: true, seatsTaken: true, waitingList: true },
  });
  const shown = rows.slice(0, pageSize);
  const mine = new Map(
    (await db.enrolment.findMany({ where: { personId, eventId: { in: shown.map((r) => r.id) } }, select: { eventId: true, status: true } })).map((e) => [e.eventId, e.status]),
  );
  return {
    page,
    hasMore: rows.length > pageSize,
    items: shown.map((r) => ({
      id: r.id, code: r.code, kind: r.kind, title: JSON.parse(r.title) as Record<string, string>, startsAt: r.startsAt, endsAt: r.endsAt, timeZone: r.timeZone,
      place: r.place, online: !!r.onlineUrl, freeSeats: freeSeats(r), waitingList: r.waitingList, mine: mine.get(r.id) ?? null,
    })),
  };
}

/** The event of a deep link `ev_<code>`, if it is published. */
export async function eventByCode(db: Db, code: string) {
  return db.event.findFirst({ where: { code, status: "published" } });
}

/** A person's own enrolments at events that have not ended, soonest first. */
export async function myEnrolments(db: Db, clock: Clock, personId: number) {
  return db.enrolment.findMany({
    where: { personId, status: { in: ["confirmed", "waiting", "offered", "pending_approval"] }, event: { endsAt: { gt: clock() } } },
    orderBy: { event: { startsAt: "asc" } },
    select: { id: true, status: true, queueOrder: true, offerUntil: true, event: { select: { id: true, code: true, title: true, startsAt: true, endsAt: true, timeZone: true } } },
  });
}
