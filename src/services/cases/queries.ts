// Reading cases, with access decided by the one rule in access.ts: a person sees only their own
// cases; a coordinator the cases they hold or were asked to take; a supervisor every case of their
// regions; an administrator every case.
import type { Db } from "../../db/client.js";
import { caseAccess, NO_ACCESS, servesRegion, type CaseAccess, type Viewer } from "./access.js";
import { HELD_STATUSES } from "../vocabulary.js";

export type { Viewer } from "./access.js";

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

/** The case, with what this viewer may do with it, if they may see it; else null (as for a case that does not exist). */
export async function caseForViewer(db: Db, number: string, viewer: Viewer) {
  const c = await db.case.findUnique({
    where: { number: number.toUpperCase().replace(/^#/, "") },
    include: { events: { orderBy: { at: "asc" } }, messages: { orderBy: { createdAt: "asc" } }, coordinator: true, requester: { include: { profile: true } } },
  });
  if (!c) return null;
  const access = caseAccess(viewer, c, c.events);
  return access.view ? { ...c, access } : null;
}

/** What the viewer may do with case `caseId` (nothing, for a case that does not exist). */
export async function accessTo(db: Db, caseId: number, viewer: Viewer): Promise<CaseAccess> {
  const c = await db.case.findUnique({ where: { id: caseId }, include: { events: { where: { type: "colleague_asked" } } } });
  return c ? caseAccess(viewer, c, c.events) : NO_ACCESS;
}

/**
 * Whom a case can be moved to: active coordinators serving its region (or every region) with room
 * for one more, the least loaded first; not its holder, nor `except` (the one moving it).
 */
export async function reassignTargets(db: Db, caseId: number, except: number, limit = 10) {
  const c = await db.case.findUnique({ where: { id: caseId }, select: { regionCode: true, coordinatorId: true } });
  if (!c) return [];
  const all = await db.coordinator.findMany({ where: { active: true, id: { notIn: [except, c.coordinatorId ?? except] } }, orderBy: [{ openCases: "asc" }, { id: "asc" }] });
  return all.filter((o) => o.openCases < o.maxOpen && servesRegion(o.regions, c.regionCode)).slice(0, limit);
}

export type ViewedCase = NonNullable<Awaited<ReturnType<typeof caseForViewer>>>;

/** Figures per case for reports: minutes to first response and to resolution. */
export function caseFigures(c: { createdAt: Date; firstResponseAt: Date | null; resolvedAt: Date | null }) {
  const min = (d: Date | null) => (d ? Math.round((d.getTime() - c.createdAt.getTime()) / 60_000) : null);
  return { firstResponseMinutes: min(c.firstResponseAt), resolutionMinutes: min(c.resolvedAt) };
}
