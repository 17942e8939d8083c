// What a person sees of the events: upcoming published ones they may sign up for (their role,
// region and age admit them), soonest first, paged, with the seats left and their own status.
// Events a person could not join are left out rather than listed after: a list of refusals helps
// nobody, and the rules are the same ones signUp checks (rules.ts), age included. Read-only.
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { ageOn } from "../validation.js";
import { freeSeats } from "./seats.js";
import { ageFits } from "./rules.js";

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

/** Birthdays ahead the age rule looks at: an event whose minimum age the person reaches only later is not listed. */
const AGE_HORIZON = 2;
const DAY = 86_400_000;

/** Midnight UTC of the day a person born on `birth` (ISO) turns `years`. */
const turns = (birth: string, years: number) => {
  const [y, m, d] = birth.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d));
};

/**
 * The age limits as the database can apply them while it walks the events in order: today's age
 * bounds the age on any upcoming event's day from below, and for the limits a birthday may cross,
 * the event's start against that birthday (a day of slack for time zones). The exact rule
 * (rules.ts ageFits) then decides the few events within that day.
 */
function ageLimits(birth: string | null, now: Date) {
  if (!birth) return [{ minAge: null, maxAge: null }];
  const age = ageOn(birth, now);
  const ks = Array.from({ length: AGE_HORIZON }, (_, i) => age + i);
  return [
    { OR: [{ minAge: null }, { minAge: { lte: age } }, ...ks.map((k) => ({ minAge: k + 1, startsAt: { gte: new Date(turns(birth, k + 1).getTime() - DAY) } }))] },
    { OR: [{ maxAge: null }, { maxAge: { gte: age + AGE_HORIZON } }, ...ks.map((k) => ({ maxAge: k, startsAt: { lt: new Date(turns(birth, k + 1).getTime() + DAY) } }))] },
  ];
}

/**
 * A page of the catalogue. Age limits are the sign-up rule's (rules.ts ageFits): the person's age on
 * the event's first day in its zone, not today, so someone turning 18 before a camp sees it now.
 * Pages are the database's (LIMIT/OFFSET over the same filter); an event the exact age rule refuses
 * (its day within a day of a birthday that decides) leaves its page one short rather than moving
 * events between pages.
 */
export async function catalogue(db: Db, clock: Clock, personId: number, page = 0, pageSize = 5): Promise<CataloguePage> {
  const now = clock();
  const profile = await db.profile.findUnique({ where: { personId }, select: { role: true, regionCode: true, birthDate: true } });
  const birth = profile?.birthDate ?? null;
  const rows = await db.event.findMany({
    where: {
      status: "published",
      startsAt: { gt: now },
      AND: [{ OR: admits("audience", profile?.role ?? null) }, { OR: admits("regions", profile?.regionCode ?? null) }, ...ageLimits(birth, now)],
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    skip: page * pageSize,
    take: pageSize + 1,
    select: { id: true, code: true, kind: true, title: true, startsAt: true, endsAt: true, timeZone: true, place: true, onlineUrl: true, capacity: true, seatsTaken: true, waitingList: true, minAge: true, maxAge: true },
  });
  const shown = rows.slice(0, pageSize).filter((r) => ageFits(r, birth));
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
