// Reading cases, with access decided here: a person sees only their own cases; a coordinator
// the cases they hold or were asked to take; a supervisor every case of their regions.
import type { Db } from "../../db/client.js";
import { splitList } from "./assignment.js";
import { HELD_STATUSES } from "../vocabulary.js";

export async function coordinatorByTelegram(db: Db, telegramId: number) {
  const c = await db.coordinator.findUnique({ where: { telegramId: BigInt(telegramId) } });
  return c?.active ? c : null;
}
export type CoordinatorRow = NonNullable<Awaited<ReturnType<typeof coordinatorByTelegram>>>;

export async function casesOfRequester(db: Db, personId: number) {
  return db.case.findMany({ where: { requesterId: personId }, orderBy: { createdAt: "desc" }, take: 20 });
}

/** A coordinator's open cases: urgent first, then oldest first. */
export async function queueOf(db: Db, coordinatorId: number) {
  const rows = await db.case.findMany({ where: { coordinatorId, status: { in: HELD_STATUSES } }, orderBy: { createdAt: "asc" } });
  return rows.sort((a, b) => (a.urgency === b.urgency ? 0 : a.urgency === "urgent" ? -1 : 1));
}

export interface Viewer {
  personId?: number;
  coordinator?: CoordinatorRow | null;
  admin?: boolean;
}

/** The case if this viewer may see it, else null (the same answer as for a case that does not exist). */
export async function caseForViewer(db: Db, number: string, viewer: Viewer) {
  const c = await db.case.findUnique({
    where: { number: number.toUpperCase().replace(/^#/, "") },
    include: { events: { orderBy: { at: "asc" } }, messages: { orderBy: { createdAt: "asc" } }, coordinator: true, requester: { include: { profile: true } } },
  });
  if (!c) return null;
  if (viewer.admin) return c;
  if (viewer.personId !== undefined && c.requesterId === viewer.personId) return c;
  const me = viewer.coordinator;
  if (me) {
    if (c.coordinatorId === me.id) return c;
    if (c.events.some((e) => e.type === "colleague_asked" && e.detail === String(me.id)) && c.status === "assigned") return c;
    if (me.supervisor && (!splitList(me.regions).length || (c.regionCode !== null && splitList(me.regions).includes(c.regionCode)))) return c;
  }
  return null;
}

export type ViewedCase = NonNullable<Awaited<ReturnType<typeof caseForViewer>>>;

/** Figures per case for reports: minutes to first response and to resolution. */
export function caseFigures(c: { createdAt: Date; firstResponseAt: Date | null; resolvedAt: Date | null }) {
  const min = (d: Date | null) => (d ? Math.round((d.getTime() - c.createdAt.getTime()) / 60_000) : null);
  return { firstResponseMinutes: min(c.firstResponseAt), resolutionMinutes: min(c.resolvedAt) };
}
