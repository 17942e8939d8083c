// What a person sees of the events: upcoming published ones they may sign up for (their role,
// region and age admit them), soonest first, paged, with the seats left and their own status.
// Events a person could not join are left out rather than listed after: a list of refusals helps
// nobody, and the rules are the same ones signUp checks (rules.ts), age included. Read-only.
import type { Db } from "../../db/client.js";
import { hotSql } from "../../db/direct.js";
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

/** Birthdays ahead the age rule looks at: an event whose minimum age the person reaches only later is not listed. */
const AGE_HORIZON = 2;
const DAY = 86_400_000;

/** Midnight UTC of the day a person born on `birth` (ISO) turns `years`. */
const turns = (birth: string, years: number) => {
  const [y, m, d] = birth.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d));
};

/** A statement built from bound pieces: SQL text with values, never a value spliced into the text. */
class Sql {
  readonly parts: string[] = [""];
  readonly values: unknown[] = [];
  add(text: string, ...values: unknown[]): this {
    // `text` has one "?" per value.
    const pieces = text.split("?");
    this.parts[this.parts.length - 1] += pieces[0]!;
    values.forEach((v, i) => {
      this.values.push(v);
      this.parts.push(pieces[i + 1]!);
    });
    return this;
  }
  run<T>(db: Db): Promise<T[]> {
    return hotSql<T>(db)(Object.assign([...this.parts], { raw: [...this.parts] }), ...this.values);
  }
}

const likeEscaped = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A comma list column (empty = all) that admits `value` (null: only the empty list). */
function admits(sql: Sql, column: "regions" | "audience", value: string | null): void {
  if (value === null) return void sql.add(` AND "${column}" = ''`);
  const v = likeEscaped(value);
  sql.add(` AND ("${column}" = '' OR "${column}" = ? OR "${column}" LIKE ? ESCAPE '\\' OR "${column}" LIKE ? ESCAPE '\\' OR "${column}" LIKE ? ESCAPE '\\')`, value, `${v},%`, `%,${v}`, `%,${v},%`);
}

/**
 * The age limits as the database can apply them while it walks the events in order: today's age
 * bounds the age on any upcoming event's day from below, and for the limits a birthday may cross,
 * the event's start against that birthday (a day of slack for time zones). The exact rule
 * (rules.ts ageFits) then decides the few events within that day.
 */
function ageLimits(sql: Sql, birth: string | null, now: Date): void {
  if (!birth) return void sql.add(` AND "minAge" IS NULL AND "maxAge" IS NULL`);
  const age = ageOn(birth, now);
  const ks = Array.from({ length: AGE_HORIZON }, (_, i) => age + i);
  sql.add(` AND ("minAge" IS NULL OR "minAge" <= ?`, age);
  for (const k of ks) sql.add(` OR ("minAge" = ? AND "startsAt" >= ?)`, k + 1, new Date(turns(birth, k + 1).getTime() - DAY));
  sql.add(`) AND ("maxAge" IS NULL OR "maxAge" >= ?`, age + AGE_HORIZON);
  for (const k of ks) sql.add(` OR ("maxAge" = ? AND "startsAt" < ?)`, k, new Date(turns(birth, k + 1).getTime() + DAY));
  sql.add(")");
}

type Row = { id: number; code: string; kind: string; title: string; startsAt: Date | string; endsAt: Date | string; timeZone: string; place: string | null; onlineUrl: string | null; capacity: number | null; seatsTaken: number; waitingList: boolean | number; minAge: number | null; maxAge: number | null };

/**
 * A page of the catalogue. Age limits are the sign-up rule's (rules.ts ageFits): the person's age on
 * the event's first day in its zone, not today, so someone turning 18 before a camp sees it now.
 * Pages are the database's (LIMIT/OFFSET over the same filter); an event the exact age rule refuses
 * (its day within a day of a birthday that decides) leaves its page one short rather than moving
 * events between pages. The page is one statement in SQL both engines read (db/direct.ts): Prisma
 * spent five times the database's time building this filter for every page.
 */
export async function catalogue(db: Db, clock: Clock, personId: number, page = 0, pageSize = 5): Promise<CataloguePage> {
  const now = clock();
  // The profile and the person's own sign-ups at upcoming events need only the person: on
  // PostgreSQL they go out together (one round trip less per page); SQLite runs them in turn.
  const [profile, enrolled] = await Promise.all([
    db.profile.findUnique({ where: { personId }, select: { role: true, regionCode: true, birthDate: true } }),
    db.enrolment.findMany({ where: { personId, event: { startsAt: { gt: now } } }, select: { eventId: true, status: true } }),
  ]);
  const birth = profile?.birthDate ?? null;
  const sql = new Sql().add(`SELECT "id", "code", "kind", "title", "startsAt", "endsAt", "timeZone", "place", "onlineUrl", "capacity", "seatsTaken", "waitingList", "minAge", "maxAge"
    FROM "Event" WHERE "status" = 'published' AND "startsAt" > ?`, now);
  admits(sql, "audience", profile?.role ?? null);
  admits(sql, "regions", profile?.regionCode ?? null);
  ageLimits(sql, birth, now);
  sql.add(` ORDER BY "startsAt", "id" LIMIT ? OFFSET ?`, pageSize + 1, page * pageSize);
  const rows = (await sql.run<Row>(db)).map((r) => ({ ...r, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt), waitingList: Boolean(r.waitingList), capacity: r.capacity === null ? null : Number(r.capacity), seatsTaken: Number(r.seatsTaken) }));
  const shown = rows.slice(0, pageSize).filter((r) => ageFits(r, birth));
  const mine = new Map(enrolled.map((e) => [e.eventId, e.status]));
  return {
    page,
    hasMore: rows.length > pageSize,
    items: shown.map((r) => ({
      id: Number(r.id), code: r.code, kind: r.kind, title: JSON.parse(r.title) as Record<string, string>, startsAt: r.startsAt, endsAt: r.endsAt, timeZone: r.timeZone,
      place: r.place, online: !!r.onlineUrl, freeSeats: freeSeats(r), waitingList: r.waitingList, mine: mine.get(Number(r.id)) ?? null,
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
