// Who may do what with a case: the one rule every screen, button and service asks. Pure (it takes
// the rows it needs), so a query, a handler and a transaction all get the same answer. It must
// never trust a role alone: a supervisor acts within their regions (none listed = all),
// administrators everywhere; acting on a case needs an active coordinator row (it is the actor,
// and holding a case counts against its load).
import { splitList } from "./assignment.js";

export interface StaffRow {
  id: number;
  active: boolean;
  supervisor: boolean;
  /** Comma-separated region codes; empty = every region. */
  regions: string;
}

export interface Viewer {
  personId?: number;
  coordinator?: StaffRow | null;
  /** An administrator (config.ADMIN_TELEGRAM_IDS), decided by the bot. */
  admin?: boolean;
}

export interface CaseRow {
  requesterId: number;
  coordinatorId: number | null;
  regionCode: string | null;
  status: string;
}

export interface CaseEventRow {
  type: string;
  detail: string | null;
}

export interface CaseAccess {
  view: boolean;
  /** Sees it as staff: the timeline, figures and internal notes. */
  staff: boolean;
  take: boolean;
  reply: boolean;
  note: boolean;
  /** Move between in progress, waiting and resolved. */
  status: boolean;
  reassign: boolean;
  /** Decline or ask a colleague: only the coordinator the case is offered to. */
  decline: boolean;
}

/** Whether someone with these regions serves a case of `regionCode` (an empty list serves all). */
export function servesRegion(regions: string, regionCode: string | null): boolean {
  const list = splitList(regions);
  return list.length === 0 || (regionCode !== null && list.includes(regionCode));
}

/** What `viewer` may do with case `c`, given its timeline (only `colleague_asked` events matter). */
export function caseAccess(viewer: Viewer, c: CaseRow, events: readonly CaseEventRow[]): CaseAccess {
  const me = viewer.coordinator?.active ? viewer.coordinator : null;
  const holder = !!me && c.coordinatorId === me.id;
  const asked = !!me && c.status === "assigned" && events.some((e) => e.type === "colleague_asked" && e.detail === String(me.id));
  const overseer = !!viewer.admin || (!!me?.supervisor && servesRegion(me.regions, c.regionCode));
  const acts = !!me && (holder || overseer);
  const staff = holder || asked || overseer;
  return {
    view: staff || (viewer.personId !== undefined && c.requesterId === viewer.personId),
    staff,
    take: acts || asked,
    reply: acts,
    note: acts,
    status: acts,
    reassign: !!me && overseer,
    decline: holder && c.status === "assigned",
  };
}

export const NO_ACCESS: CaseAccess = { view: false, staff: false, take: false, reply: false, note: false, status: false, reassign: false, decline: false };
