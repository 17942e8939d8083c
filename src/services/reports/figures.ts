// Figures for a period, for grant and ministry reports, /stats and the CLI: people registered and
// active by role and region (erased people still counted: erasure keeps role, region and dates),
// cases by status, category, region and coordinator with response and resolution times and
// ratings, coordinators' load, and events. Who may see which regions is decided once here
// (reportScope), on the same staff row and reading of its regions as cases (cases/access.ts). No personal data
// comes out: codes and numbers. Never imports grammY.
import type { Db } from "../../db/client.js";
import { servesRegion, type Viewer } from "../cases/access.js";
import { splitList } from "../cases/assignment.js";
import { periodFigures } from "../events/figures.js";
import { CASE_STATUSES, OPEN_STATUSES } from "../vocabulary.js";
import { dateIn, midnightIn } from "../time.js";

/** Regions a viewer's figures cover: null = every region. */
export interface Scope {
  regions: string[] | null;
}

/**
 * The one rule for reports: administrators see all; an active supervisor sees their regions (none
 * listed = all); anyone else nothing (null).
 */
export function reportScope(viewer: Viewer): Scope | null {
  if (viewer.admin) return { regions: null };
  const me = viewer.coordinator;
  if (!me?.active || !me.supervisor) return null;
  const regions = splitList(me.regions);
  return { regions: regions.length ? regions : null };
}

/** Names and phones in exports: administrators only. */
export const mayExportContacts = (viewer: Viewer) => !!viewer.admin;


// ---- periods in the programme's time zone ------------------------------------------------------

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export type PeriodName = "last_month" | "this_month" | "last_quarter" | "year";
export const PERIOD_NAMES: PeriodName[] = ["last_month", "this_month", "last_quarter", "year"];

/** A named period around `now` in the zone (default for reports: the last calendar month). */
export function namedPeriod(name: PeriodName, now: Date, tz: string): Period {
  const [y, m] = dateIn(tz, now);
  if (name === "this_month") return { from: midnightIn(tz, y, m, 1), to: now };
  if (name === "year") return { from: midnightIn(tz, y, 1, 1), to: now };
  const back = name === "last_month" ? 1 : 3;
  const start = new Date(Date.UTC(y, m - 1 - back, 1));
  return { from: midnightIn(tz, start.getUTCFullYear(), start.getUTCMonth() + 1, 1), to: midnightIn(tz, y, m, 1) };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** --from / --to (both days included) in the zone; a string naming the problem when they are not a period. */
export function parsePeriod(from: string | undefined, to: string | undefined, now: Date, tz: string): Period | string {
  if (!from && !to) return namedPeriod("last_month", now, tz);
  const day = (s: string | undefined, name: string): Date | string => {
    const m = s ? DAY.exec(s) : null;
    if (!m) return `${name} must be a date YYYY-MM-DD`;
    const [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!];
    const check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return `${name} is not a real date (${s})`;
    return midnightIn(tz, y, mo, d);
  };
  const f = day(from, "--from");
  if (typeof f === "string") return f;
  const t = day(to, "--to");
  if (typeof t === "string") return t;
  if (t < f) return `--to (${to}) is before --from (${from})`;
  const [y, mo, d] = to!.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  return { from: f, to: midnightIn(tz, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
}

// ---- figures ---------------------------------------------------------------------------------

export interface Count {
  key: string;
  count: number;
}

export interface Times {
  /** Seconds; null when there is nothing to measure. */
  median: number | null;
  p90: number | null;
}

export interface CaseFigures {
  opened: number;
  resolved: number;
  cancelled: number;
  /** Opened in the period and still open now. */
  stillOpen: number;
  byStatus: Count[];
  byCategory: Count[];
  byRegion: Count[];
  byCoordinator: Count[];
  firstResponse: Times;
  resolution: Times;
  /** Share of cases opened in the period answered within their acknowledgement time (0-1), null if none. */
  answeredInTime: number | null;
  ratingAverage: number | null;
  ratings: number;
}

export interface CoordinatorLoad {
  coordinatorId: number;
  openNow: number;
  taken: number;
  declined: number;
  /** Pings that lapsed unanswered and went on to another coordinator. */
  escalations: number;
}

export interface Figures {
  period: Period;
  scope: Scope;
  people: { registered: number; active: number; erased: number; byRole: Count[]; byRegion: Count[] };
  cases: CaseFigures;
  coordinators: CoordinatorLoad[];
  events: { eventsHeld: number; participants: number; attendances: number };
}

export interface AckSeconds {
  normal: number;
  urgent: number;
}

const counted = (keys: (string | null)[]): Count[] => {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k ?? "none", (m.get(k ?? "none") ?? 0) + 1);
  return [...m.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
};

/** The q-quantile (0-1) of sorted numbers, nearest rank. */
export function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const times = (xs: number[]): Times => {
  const s = xs.sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p90: quantile(s, 0.9) };
};

const regionWhere = (s: Scope) => (s.regions ? { regionCode: { in: s.regions } } : {});

export async function caseFigures(db: Db, period: Period, scope: Scope, ack: AckSeconds): Promise<CaseFigures> {
  const rows = await db.case.findMany({
    where: { createdAt: { gte: period.from, lt: period.to }, ...regionWhere(scope) },
    select: { status: true, category: true, regionCode: true, coordinatorId: true, urgency: true, createdAt: true, firstResponseAt: true, resolvedAt: true, rating: true },
  });
  const first: number[] = [];
  const resolution: number[] = [];
  let inTime = 0;
  let ratingSum = 0;
  let ratings = 0;
  for (const r of rows) {
    if (r.firstResponseAt) {
      const s = (r.firstResponseAt.getTime() - r.createdAt.getTime()) / 1000;
      first.push(s);
      if (s <= (r.urgency === "urgent" ? ack.urgent : ack.normal)) inTime++;
    }
    if (r.resolvedAt) resolution.push((r.resolvedAt.getTime() - r.createdAt.getTime()) / 1000);
    if (r.rating !== null) {
      ratingSum += r.rating;
      ratings++;
    }
  }
  const open = new Set<string>(OPEN_STATUSES);
  return {
    opened: rows.length,
    resolved: rows.filter((r) => r.status === "resolved" || r.status === "closed").length,
    cancelled: rows.filter((r) => r.status === "cancelled").length,
    stillOpen: rows.filter((r) => open.has(r.status)).length,
    byStatus: CASE_STATUSES.map((key) => ({ key, count: rows.filter((r) => r.status === key).length })).filter((c) => c.count),
    byCategory: counted(rows.map((r) => r.category)),
    byRegion: counted(rows.map((r) => r.regionCode)),
    byCoordinator: counted(rows.map((r) => (r.coordinatorId === null ? null : String(r.coordinatorId)))),
    firstResponse: times(first),
    resolution: times(resolution),
    answeredInTime: rows.length ? inTime / rows.length : null,
    ratingAverage: ratings ? ratingSum / ratings : null,
    ratings,
  };
}

export async function peopleFigures(db: Db, period: Period, scope: Scope): Promise<Figures["people"]> {
  const where = { registeredAt: { gte: period.from, lt: period.to }, ...regionWhere(scope) };
  const byRole = await db.profile.groupBy({ by: ["role"], where, _count: { _all: true } });
  const byRegion = await db.profile.groupBy({ by: ["regionCode"], where, _count: { _all: true } });
  const erased = await db.profile.count({ where: { ...where, erasedAt: { not: null } } });
  // Active: opened a case or signed up for an event in the period.
  const inPeriod = { gte: period.from, lt: period.to };
  const requesters = await db.case.findMany({ where: { createdAt: inPeriod, ...regionWhere(scope) }, select: { requesterId: true }, distinct: ["requesterId"] });
  const enrolled = await db.enrolment.findMany({ where: { createdAt: inPeriod, ...regionWhere(scope) }, select: { personId: true }, distinct: ["personId"] });
  const sort = (xs: Count[]) => xs.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return {
    registered: byRole.reduce((n, r) => n + r._count._all, 0),
    active: new Set([...requesters.map((r) => r.requesterId), ...enrolled.map((e) => e.personId)]).size,
    erased,
    byRole: sort(byRole.map((r) => ({ key: r.role, count: r._count._all }))),
    byRegion: sort(byRegion.map((r) => ({ key: r.regionCode ?? "none", count: r._count._all }))),
  };
}

/** Load of coordinators serving the scope: open cases now, and what they did in the period. */
export async function coordinatorLoad(db: Db, period: Period, scope: Scope): Promise<CoordinatorLoad[]> {
  const staff = await db.coordinator.findMany({ where: { active: true }, select: { id: true, regions: true, openCases: true } });
  const mine = staff.filter((c) => scope.regions === null || scope.regions.some((r) => servesRegion(c.regions, r)));
  const events = await db.caseEvent.groupBy({
    by: ["type", "actor", "detail"],
    where: { at: { gte: period.from, lt: period.to }, type: { in: ["taken", "declined", "lapsed"] }, ...(scope.regions ? { case: regionWhere(scope) } : {}) },
    _count: { _all: true },
  });
  return mine.map((c) => {
    const of = (type: string) =>
      events.filter((e) => e.type === type && (type === "lapsed" ? e.detail === String(c.id) : e.actor === `coordinator:${c.id}`)).reduce((n, e) => n + e._count._all, 0);
    return { coordinatorId: c.id, openNow: c.openCases, taken: of("taken"), declined: of("declined"), escalations: of("lapsed") };
  });
}

export async function periodReport(db: Db, period: Period, scope: Scope, ack: AckSeconds): Promise<Figures> {
  return {
    period, scope,
    people: await peopleFigures(db, period, scope),
    cases: await caseFigures(db, period, scope, ack),
    coordinators: await coordinatorLoad(db, period, scope),
    // Events are counted for the whole programme: an event may span several regions.
    events: await periodFigures(db, period.from, period.to),
  };
}

export interface WeekBar {
  /** Monday of the week, YYYY-MM-DD in the zone. */
  week: string;
  byStatus: Record<string, number>;
}

/** Cases opened per week (Monday to Sunday, in the zone) by their status now, for the last `weeks` weeks. */
export async function casesPerWeek(db: Db, now: Date, tz: string, scope: Scope, weeks = 12): Promise<WeekBar[]> {
  const [y, m, d] = dateIn(tz, now);
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  const mondays = Array.from({ length: weeks + 1 }, (_, i) => {
    const day = new Date(Date.UTC(y, m - 1, d - dow - 7 * (weeks - 1 - i)));
    return { label: day.toISOString().slice(0, 10), at: midnightIn(tz, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()) };
  });
  const out: WeekBar[] = [];
  for (let i = 0; i < weeks; i++) {
    const groups = await db.case.groupBy({ by: ["status"], where: { createdAt: { gte: mondays[i]!.at, lt: mondays[i + 1]!.at }, ...regionWhere(scope) }, _count: { _all: true } });
    out.push({ week: mondays[i]!.label, byStatus: Object.fromEntries(groups.map((g) => [g.status, g._count._all])) });
  }
  return out;
}
