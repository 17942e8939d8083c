// The one rule for acting on an event (publish, change, cancel, approve sign-ups): administrators on
// any event; an active organiser (or supervisor) on the events they created and on the programme's
// own (made from the command line, with no creator). Checking in participants at the door is open
// to every organiser: camps are run by several.
import type { Db, Tx } from "../../db/client.js";
import type { Organiser } from "./settings.js";

/** Whether the actor may run events: an administrator, or an active organiser or supervisor. */
export async function isOrganiser(tx: Tx | Db, by: Organiser): Promise<boolean> {
  if (by.admin) return true;
  const c = await tx.coordinator.findUnique({ where: { id: by.coordinatorId }, select: { active: true, organiser: true, supervisor: true } });
  return !!c?.active && (c.organiser || c.supervisor);
}

export async function mayOrganise(tx: Tx | Db, by: Organiser, event: { createdBy: number | null } | null): Promise<boolean> {
  if (!event) return false;
  if (by.admin) return true;
  return (await isOrganiser(tx, by)) && (event.createdBy === null || event.createdBy === by.coordinatorId);
}

/** The events an organiser may act on (mayOrganise), as a query: all for an administrator. */
export function organisedBy(by: Organiser) {
  return by.admin ? {} : { OR: [{ createdBy: null }, { createdBy: by.coordinatorId }] };
}
