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

/** Years ahead the age filter looks (an event further off with an age limit is not listed). */
const AGE_HORIZON = 10;
const DAY = 86_400_000;

/** Midnight UTC of the day a person born on `birth` (ISO) turns `years`. */
const turns = (birth: string, years: number) => {
  const [y, m, d] = birth.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d));
};

/**
 * What the database can decide of the age limits: a condition every admitted event meets (a day of
 * slack for time zones), so few rows are read only to be refused by the exact rule (ageFits).
 */
function ageRange(birth: string | null, now: Date) {
  if (!birth) return [{ minAge: null, maxAge: null }];
  const age = ageOn(birth, now);
  const ks = Array.from({ length: AGE_HORIZON }, (_, i) => age + i);
  return [
    { OR: [{ minAge: null }, { minAge: { lte: age } }, ...ks.slice(1).map((k) => ({ minAge: k, startsAt: { gte: new Date(turns(birth, k).getTime() - DAY) } }))] },
    { OR: [{ maxAge: null }, { maxAge: { gte: age + AGE_HORIZON } }, ...ks.map((k) => ({ maxAge: k, startsAt: { lt: new Date(turns(birth, k + 1).getTime() + DAY) } }))] },
  ];
}

/**
 * A page of the catalogue. Age limits are the sign-up rule's (rules.ts ageFits): the person's age on
 * the event's first day in its zone, not today, so someone turning 18 before a camp sees it now.
 */
export async function catalogue(db: Db, clock: Clock, personId: number, page = 0, pageSize = 5): Promise<CataloguePage> {
  const now = clock();
  const profile = await db.profile.findUnique({ where: { personId }, select: { role: true, regionCode: true, birthDate: true } });
  const birth = profile?.birthDate ?? null;
  const where = {
    status: "published",
    startsAt: { gt: now },
    AND: [{ OR: admits("audience", profile?.role ?? null) }, { OR: admits("regions", profile?.regionCode ?? null) }, ...ageRange(birth, now)],
  };
  const select = { id: true, code: true, kind: true, title: true, startsAt: true, endsAt: true, timeZone: true, place: true, onlineUrl: true, capacity: true, seatsTaken: true, waitingList: true, minAge: true, maxAge: true } as const;
  // Rows the exact age rule refuses are skipped here, so pages are counted after it.
  const want = (page + 1) * pageSize + 1;
  const admitted: Awaited<ReturnType<typeof db.event.findMany<{ select: typeof select }>>> = [];
  for (let offset = 0, take = want + 4; admitted.length < want; offset += take, take *= 2) {
    const rows = await db.event.findMany({ where, orderBy: [{ startsAt: "asc" }, { id: "asc" }], skip: offset, take, select });
    admitted.push(...rows.filter((r) => ageFits(r, birth)));
    if (rows.length < take) break;
  }
  const rows = admitted.slice(page * pageSize);
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
