// Requests for help and their lifecycle:
//   new → assigned (a coordinator is pinged) → in_progress (taken) ⇄ waiting (for the requester)
//   → resolved → closed; cancelled by the requester at any open point.
// Every change is one transaction that also writes the timeline event and queues the notices, so
// the database decides races (two Takes, a cancel during a reassignment) and nothing is lost.
// Whatever decides a change is part of the write's condition (or follows a conditional write that
// locked the case): never a value read earlier, which another process may have changed since.
// Who may act is caseAccess's answer (access.ts), read inside the same transaction.
import type { Db, Tx } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Clock } from "../clock.js";
import { enqueue, type Notice } from "../delivery/outbox.js";
import { enqueueRelay } from "./messages.js";
import { pickCoordinator, splitList } from "./assignment.js";
import { candidatesFor } from "./pool.js";
import { caseAccess, servesRegion } from "./access.js";
import { claimFree, claimLoad, NoRoom, releaseLoad } from "./load.js";
import { HELD_STATUSES, OPEN_STATUSES, type CaseStatus, type DeclineReason } from "../vocabulary.js";

export interface CaseSettings {
  /** Seconds a pinged coordinator has to take a case before it goes to the next one. */
  ackSeconds: { normal: number; urgent: number };
  /** Telegram ids told when nobody can take a case (the programme's administrators). */
  adminTelegramIds: number[];
}

/** The human number of a case; the database sets the same value by trigger (case_number_trigger). */
export const caseNumber = (id: number) => `A-${1000 + id}`;

/** The outbox key of the ping of an offer round (0 for the first offer, then one more per pass). */
export const offerPingKey = (caseId: number, coordinatorId: number, round: number) => `ping:${caseId}:${coordinatorId}:${round}`;

/** Who acts as staff: their coordinator id, and whether they are an administrator (decided by the bot). */
export interface StaffActor {
  coordinatorId: number;
  admin?: boolean;
}

const colleagueEvents = (tx: Tx, caseId: number) => tx.caseEvent.findMany({ where: { caseId, type: "colleague_asked" }, select: { type: true, detail: true } });

/** Queues a notice to the person who asked for help. */
export async function notifyRequester(tx: Tx, now: Date, requesterId: number, key: string, notice: Notice) {
  const requester = await tx.person.findUniqueOrThrow({ where: { id: requesterId }, select: { telegramId: true } });
  await enqueue(tx, now, key, requester.telegramId, notice);
}

async function event(tx: Tx, caseId: number, at: Date, actor: string, type: string, detail?: string) {
  await tx.caseEvent.create({ data: { caseId, at, actor, type, detail: detail ?? null } });
}

/** Supervisors who oversee a case of this region (the access rule's scope). */
async function supervisorsOf(tx: Tx, regionCode: string | null) {
  const all = await tx.coordinator.findMany({ where: { active: true, supervisor: true }, select: { id: true, telegramId: true, regions: true } });
  return all.filter((s) => servesRegion(s.regions, regionCode));
}

/** A `new` case nobody is free to take: on its timeline, and administrators and its supervisors are told. */
export async function nobodyFree(tx: Tx, now: Date, c: { id: number; regionCode: string | null; requesterId: number }, round: number, settings: CaseSettings) {
  await event(tx, c.id, now, "system", "unassigned");
  // The requester is told once, honestly, with whom to call meanwhile; at intake the reply to their
  // request says it already (round 0).
  if (round > 0) await notifyRequester(tx, now, c.requesterId, `nobody_free:${c.id}`, { kind: "nobody_free", caseId: c.id });
  const supervisors = await supervisorsOf(tx, c.regionCode);
  const targets = new Set([...settings.adminTelegramIds.map(BigInt), ...supervisors.map((s) => s.telegramId)]);
  for (const t of targets) await enqueue(tx, now, `unassigned:${c.id}:${round}:${t}`, t, { kind: "unassigned", caseId: c.id });
}

/**
 * Offers the case to the best free coordinator (not those who passed on it) and queues their ping.
 * With nobody free the case stays `new`, and administrators and supervisors are told. The caller
 * has locked the case with a conditional write in the same transaction.
 */
export async function offer(tx: Tx, now: Date, caseId: number, settings: CaseSettings, quietIfNone = false): Promise<number | null> {
  const c = await tx.case.findUniqueOrThrow({ where: { id: caseId } });
  const exclude = new Set(splitList(c.passedBy).map(Number));
  const chosen = await claimFree(tx, { category: c.category, regionCode: c.regionCode, exclude }, now);
  if (!chosen && quietIfNone) return null;
  if (!chosen) {
    await tx.case.update({ where: { id: caseId }, data: { status: "new", coordinatorId: null, offeredAt: null } });
    await nobodyFree(tx, now, c, exclude.size, settings);
    return null;
  }
  await tx.case.update({ where: { id: caseId }, data: { status: "assigned", coordinatorId: chosen.id, offeredAt: now } });
  await event(tx, caseId, now, "system", "assigned", String(chosen.id));
  await enqueue(tx, now, offerPingKey(caseId, chosen.id, exclude.size), chosen.telegramId, { kind: "ping", caseId, coordinatorId: chosen.id });
  return chosen.id;
}

/** Releases the case from its coordinator (declined, lapsed, removed) and offers it to the next. The caller has locked the case. */
async function passOn(tx: Tx, now: Date, caseId: number, settings: CaseSettings, actor: string, type: string, detail?: string) {
  const c = await tx.case.findUniqueOrThrow({ where: { id: caseId } });
  if (c.coordinatorId !== null) {
    await releaseLoad(tx, c.coordinatorId);
    await tx.case.update({ where: { id: caseId }, data: { passedBy: [...splitList(c.passedBy), String(c.coordinatorId)].join(","), coordinatorId: null } });
  }
  await event(tx, caseId, now, actor, type, detail);
  return offer(tx, now, caseId, settings);
}

export type TakeResult = "taken" | "already_taken" | "not_allowed" | "not_found" | "full";

/** Runs a transaction that throws NoRoom when the one who was to get the case is at their maximum. */
async function orFull<T>(run: Promise<T>): Promise<T | "full"> {
  try {
    return await run;
  } catch (err) {
    if (err instanceof NoRoom) return "full";
    throw err;
  }
}

/** A coordinator presses Take. Exactly one press wins; the database decides. */
export async function takeCase(db: Db, clock: Clock, caseId: number, coordinatorId: number, opts: { admin?: boolean; firstName?: string } = {}): Promise<TakeResult> {
  return orFull(transaction(db, async (tx): Promise<TakeResult> => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    if (!c) return "not_found";
    const me = await tx.coordinator.findUnique({ where: { id: coordinatorId } });
    if (!me?.active) return "not_allowed";
    if (!caseAccess({ coordinator: me, admin: opts.admin }, c, await colleagueEvents(tx, caseId)).take) return c.status === "assigned" ? "not_allowed" : "already_taken";
    // Still offered to the one it was offered to when read: else it moved on (taken, passed on) meanwhile.
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: "assigned", coordinatorId: c.coordinatorId }, data: { status: "in_progress", coordinatorId } });
    if (count === 0) return "already_taken";
    if (c.coordinatorId !== coordinatorId) {
      if (!(await claimLoad(tx, coordinatorId, now))) throw new NoRoom();
      if (c.coordinatorId !== null) await releaseLoad(tx, c.coordinatorId);
    }
    await event(tx, caseId, now, `coordinator:${coordinatorId}`, "taken");
    // The requester is told who took it: the first name on the coordinator's Telegram account, as it is now.
    if (opts.firstName?.trim()) await tx.coordinator.update({ where: { id: coordinatorId }, data: { firstName: opts.firstName.trim().slice(0, 64) } });
    await catchUp(tx, now, caseId, coordinatorId, me.telegramId);
    await notifyRequester(tx, now, c.requesterId, `status:${caseId}:taken`, { kind: "status", caseId, status: "in_progress", taken: true });
    return "taken";
  }));
}

/** Pings show the start of a description (about 300 characters, to decide at a glance); one longer is sent in full when the case is taken. */
export const PING_DESCRIPTION_MAX = 300;

/**
 * What the coordinator who takes a case has not seen yet: the whole description if the ping cut
 * it, then everything the requester added (texts, photos and documents with their captions), in
 * order. Keyed per coordinator, so one who takes a case passed on by another gets it all too.
 */
async function catchUp(tx: Tx, now: Date, caseId: number, coordinatorId: number, chatId: bigint) {
  const messages = await tx.caseMessage.findMany({ where: { caseId, author: "requester" }, orderBy: { id: "asc" } });
  for (const [i, m] of messages.entries()) {
    const isDescription = i === 0 && m.kind === "text";
    if (!m.fileId && !m.text) continue;
    if (isDescription && (m.text ?? "").length <= PING_DESCRIPTION_MAX) continue;
    await enqueueRelay(tx, now, m, chatId, "coordinator", `take:${caseId}:${coordinatorId}`);
  }
}

/** The pinged coordinator declines, with a reason; the case goes to the next coordinator. */
export async function declineCase(db: Db, clock: Clock, caseId: number, coordinatorId: number, reason: DeclineReason, settings: CaseSettings): Promise<boolean> {
  return transaction(db, async (tx) => {
    // The condition is the access rule's `decline`: the case is offered to them right now.
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: "assigned", coordinatorId }, data: { offeredAt: null } });
    if (count === 0) return false;
    await passOn(tx, clock(), caseId, settings, `coordinator:${coordinatorId}`, "declined", reason);
    return true;
  });
}

/** "Ask a colleague": pings one more coordinator who may take the case instead. */
export async function askColleague(db: Db, clock: Clock, caseId: number, coordinatorId: number, key?: string): Promise<number | null> {
  return transaction(db, async (tx) => {
    const now = clock();
    // The same press again (a double press, a re-delivered update) asks the same colleague once.
    const again = key ? await tx.caseEvent.findUnique({ where: { sourceKey: key }, select: { detail: true } }) : null;
    if (again) return Number(again.detail);
    const c = await tx.case.findUnique({ where: { id: caseId } });
    const me = await tx.coordinator.findUnique({ where: { id: coordinatorId } });
    const asked = await colleagueEvents(tx, caseId);
    if (!c || !caseAccess({ coordinator: me }, c, asked).decline) return null;
    // Locks the case while it is still offered to them, so it cannot move on under the question.
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: "assigned", coordinatorId }, data: { status: "assigned" } });
    if (count === 0) return null;
    const exclude = new Set([coordinatorId, ...splitList(c.passedBy).map(Number), ...asked.map((a) => Number(a.detail))]);
    const colleague = pickCoordinator(await candidatesFor(tx, c.category, c.regionCode), { category: c.category, regionCode: c.regionCode, exclude });
    if (!colleague) return null;
    await tx.caseEvent.create({ data: { caseId, at: now, actor: `coordinator:${coordinatorId}`, type: "colleague_asked", detail: String(colleague.id), sourceKey: key ?? null } });
    await enqueue(tx, now, `ping:${caseId}:${colleague.id}:colleague`, colleague.telegramId, { kind: "ping", caseId, coordinatorId: colleague.id, colleague: true });
    return colleague.id;
  });
}

/**
 * Telegram refused a coordinator's ping for good (they blocked the bot or never opened it): the case
 * goes on to the next coordinator at once rather than after the acknowledgement time, and they are
 * taken off duty so new cases do not wait on them either.
 */
export async function pingUndeliverable(db: Db, clock: Clock, caseId: number, coordinatorId: number, settings: CaseSettings): Promise<boolean> {
  return transaction(db, async (tx) => {
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: "assigned", coordinatorId }, data: { offeredAt: null } });
    await tx.coordinator.updateMany({ where: { id: coordinatorId }, data: { onDuty: false } });
    if (count === 0) return false;
    await passOn(tx, clock(), caseId, settings, "system", "unreachable", String(coordinatorId));
    return true;
  });
}

/**
 * A coordinator who holds a case cannot be reached in Telegram (they blocked the bot): like an
 * undeliverable ping, the case goes on to the next coordinator at once, they are taken off duty,
 * and the requester is told; the next coordinator gets everything the requester wrote when taking it.
 */
export async function coordinatorUnreachable(db: Db, clock: Clock, caseId: number, coordinatorTelegramId: bigint, settings: CaseSettings): Promise<boolean> {
  return transaction(db, async (tx) => {
    const now = clock();
    const coord = await tx.coordinator.findUnique({ where: { telegramId: coordinatorTelegramId } });
    if (!coord) return false;
    await tx.coordinator.update({ where: { id: coord.id }, data: { onDuty: false } });
    const { count } = await tx.case.updateMany({ where: { id: caseId, coordinatorId: coord.id, status: { in: HELD_STATUSES } }, data: { status: "assigned", offeredAt: null } });
    if (count === 0) return false;
    const c = await tx.case.findUniqueOrThrow({ where: { id: caseId }, select: { requesterId: true } });
    await passOn(tx, now, caseId, settings, "system", "unreachable", String(coord.id));
    await notifyRequester(tx, now, c.requesterId, `status:${caseId}:unreachable:${coord.id}`, { kind: "status", caseId, status: "coordinator_unreachable" });
    return true;
  });
}

/**
 * Closes a person's open cases because they withdrew consent or erased their data: nothing more
 * is sent to them or about them, and each coordinator holding one is told why. Runs inside the
 * caller's transaction (people/people.ts withdrawConsent, people/erasure.ts).
 */
export async function closeCasesOfPerson(tx: Tx, now: Date, personId: number, telegramId: bigint, reason: "consent_withdrawn" | "erased"): Promise<number[]> {
  const ids = (await tx.case.findMany({ where: { requesterId: personId }, select: { id: true } })).map((c) => c.id);
  await dropQueued(tx, telegramId, ids);
  // One conditional write per kind of open case: the holder freed and told is whoever holds the
  // case when it is cancelled, not at an earlier read (a Take or a hand-over may run meanwhile).
  for (const statuses of [["in_progress", "waiting"], ["new", "assigned"]] as const) {
    const cancelled = await tx.case.updateManyAndReturn({
      where: { requesterId: personId, status: { in: [...statuses] } }, data: { status: "cancelled", closedAt: now, lastActivityAt: now }, select: { id: true, coordinatorId: true },
    });
    for (const c of cancelled) {
      await event(tx, c.id, now, "system", "status", "cancelled");
      await event(tx, c.id, now, "system", reason);
      if (c.coordinatorId === null) continue;
      await releaseLoad(tx, c.coordinatorId);
      const coord = await tx.coordinator.findUniqueOrThrow({ where: { id: c.coordinatorId }, select: { telegramId: true } });
      // Only a coordinator who knows of the case is told: one who took it, or whose ping went out.
      const known = statuses[0] === "in_progress" || (await tx.outbox.count({ where: { caseId: c.id, chatId: coord.telegramId, method: "ping", sentAt: { not: null } } })) > 0;
      if (known) await enqueue(tx, now, `closed:${c.id}:${reason}`, coord.telegramId, { kind: "closed_by_person", caseId: c.id, reason });
    }
  }
  return ids;
}

/** Whatever is still queued to a person, or about their cases to anyone, is not sent. */
async function dropQueued(tx: Tx, telegramId: bigint, caseIds: number[]) {
  await tx.outbox.deleteMany({ where: { sentAt: null, OR: [{ chatId: telegramId }, { caseId: { in: caseIds } }] } });
}

/** Waiting cases are read in pages of this many, in id order. */
const NEW_PAGE = 50;

/** Pings not answered within the acknowledgement time go to the next coordinator; supervisors are told. */
export async function escalateLapsed(db: Db, clock: Clock, settings: CaseSettings): Promise<number> {
  const now = clock();
  let moved = 0;
  for (const urgency of ["normal", "urgent"] as const) {
    const cutoff = new Date(now.getTime() - settings.ackSeconds[urgency] * 1000);
    const lapsed = await db.case.findMany({ where: { status: "assigned", urgency, offeredAt: { lt: cutoff } }, select: { id: true, coordinatorId: true, regionCode: true } });
    for (const c of lapsed) {
      const done = await transaction(db, async (tx) => {
        // Taken or passed on meanwhile? Then leave it.
        const { count } = await tx.case.updateMany({ where: { id: c.id, status: "assigned", coordinatorId: c.coordinatorId, offeredAt: { lt: cutoff } }, data: { offeredAt: null } });
        if (count === 0) return false;
        for (const s of await supervisorsOf(tx, c.regionCode)) {
          await enqueue(tx, now, `lapsed:${c.id}:${c.coordinatorId}:${s.id}`, s.telegramId, { kind: "lapsed", caseId: c.id, coordinatorId: c.coordinatorId ?? 0 });
        }
        await passOn(tx, now, c.id, settings, "system", "lapsed", String(c.coordinatorId));
        return true;
      });
      if (done) moved++;
    }
  }
  return moved + (await offerWaiting(db, now, settings));
}

/**
 * Cases nobody could take are offered again as coordinators come on duty or free up: every one of
 * them, oldest first, so cases nobody can take never hide newer ones. A kind of case (category and
 * region) with nobody free at all is not tried again in the same run.
 */
async function offerWaiting(db: Db, now: Date, settings: CaseSettings): Promise<number> {
  const hopeless = new Set<string>();
  let moved = 0;
  for (let after = 0; ; ) {
    const page = await db.case.findMany({ where: { status: "new", id: { gt: after } }, orderBy: { id: "asc" }, take: NEW_PAGE, select: { id: true, category: true, regionCode: true, passedBy: true } });
    if (!page.length) return moved;
    after = page.at(-1)!.id;
    for (const c of page) {
      const kind = `${c.category}/${c.regionCode ?? ""}`;
      if (hopeless.has(kind)) continue;
      if (!pickCoordinator(await candidatesFor(db, c.category, c.regionCode), { category: c.category, regionCode: c.regionCode })) {
        hopeless.add(kind);
        continue;
      }
      const outcome = await transaction(db, async (tx) => {
        // A no-op write that locks the row: of several processes only one offers the case.
        const { count } = await tx.case.updateMany({ where: { id: c.id, status: "new" }, data: { status: "new" } });
        if (count === 0) return "gone";
        return (await offer(tx, now, c.id, settings, true)) !== null ? "offered" : "nobody";
      });
      if (outcome === "offered") moved++;
      if (outcome === "nobody" && !c.passedBy) hopeless.add(kind); // nobody left even for a case nobody passed on
    }
  }
}

const TRANSITIONS: Record<string, CaseStatus[]> = {
  waiting: ["in_progress"],
  in_progress: ["waiting"],
  resolved: ["in_progress", "waiting"],
  closed: ["resolved"],
  cancelled: ["new", "assigned", "in_progress", "waiting"],
};

export interface StatusOptions {
  /** Statuses the move is allowed from, instead of the usual ones (closing a waiting case for inactivity). */
  from?: CaseStatus[];
  /** What the timeline and the requester's notice call the change, if not the status itself. */
  label?: string;
  /** Staff making the change: refused unless the access rule lets them change this case's status. */
  staff?: StaffActor;
}

/** Changes status if the move is allowed from the current one; tells the requester. */
export async function changeStatus(db: Db, clock: Clock, caseId: number, to: CaseStatus, actor: string, opts: StatusOptions = {}): Promise<boolean> {
  return transaction(db, async (tx) => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    if (!c || !(opts.from ?? TRANSITIONS[to])?.includes(c.status as CaseStatus)) return false;
    if (opts.staff) {
      const me = await tx.coordinator.findUnique({ where: { id: opts.staff.coordinatorId } });
      if (!caseAccess({ coordinator: me, admin: opts.staff.admin }, c, []).status) return false;
    }
    const label = opts.label ?? to;
    const data: Record<string, unknown> = { status: to, lastActivityAt: now };
    if (to === "resolved") data.resolvedAt = now;
    if (to === "closed" || to === "cancelled") data.closedAt = now;
    // Both as read: the load released below and the access granted above are those of this holder.
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: c.status, coordinatorId: c.coordinatorId }, data });
    if (count === 0) return false;
    const releases = HELD_STATUSES.includes(c.status as CaseStatus) && !HELD_STATUSES.includes(to);
    if (releases && c.coordinatorId !== null) await releaseLoad(tx, c.coordinatorId);
    await event(tx, caseId, now, actor, "status", label);
    if (actor !== "requester") await notifyRequester(tx, now, c.requesterId, `status:${caseId}:${label}:${now.getTime()}`, { kind: to === "resolved" ? "rate" : "status", caseId, status: label });
    if (to === "cancelled" && c.coordinatorId !== null) {
      const coord = await tx.coordinator.findUniqueOrThrow({ where: { id: c.coordinatorId }, select: { telegramId: true } });
      await enqueue(tx, now, `status:${caseId}:cancelled:coord`, coord.telegramId, { kind: "status", caseId, status: "cancelled" });
    }
    return true;
  });
}

/** A coordinator, supervisor or administrator changes a case's status, if the access rule lets them. */
export function changeStatusAsStaff(db: Db, clock: Clock, caseId: number, to: CaseStatus, staff: StaffActor): Promise<boolean> {
  return changeStatus(db, clock, caseId, to, `coordinator:${staff.coordinatorId}`, { staff });
}

/** The requester rates resolved help 1–5 (once); that closes the case. */
export async function rateCase(db: Db, clock: Clock, caseId: number, requesterId: number, rating: number): Promise<boolean> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) return false;
  const now = clock();
  const { count } = await db.case.updateMany({
    where: { id: caseId, requesterId, rating: null, status: { in: ["resolved", "closed"] } },
    data: { rating, status: "closed", closedAt: now },
  });
  if (count === 1) await db.caseEvent.create({ data: { caseId, at: now, actor: "requester", type: "rated", detail: String(rating) } });
  return count === 1;
}

export async function commentRating(db: Db, caseId: number, requesterId: number, comment: string): Promise<boolean> {
  const { count } = await db.case.updateMany({ where: { id: caseId, requesterId, rating: { not: null }, ratingComment: null }, data: { ratingComment: comment.slice(0, 1000) } });
  return count === 1;
}

/** No answer from the requester for `days` closes a waiting or resolved case, with a notice. */
export async function closeInactive(db: Db, clock: Clock, days: number): Promise<number> {
  const cutoff = new Date(clock().getTime() - days * 86_400_000);
  const stale = await db.case.findMany({ where: { status: { in: ["waiting", "resolved"] }, lastActivityAt: { lt: cutoff } }, select: { id: true, status: true } });
  let closed = 0;
  for (const c of stale) {
    const opts: StatusOptions = c.status === "waiting" ? { from: ["waiting"], label: "closed_inactive" } : {};
    if (await changeStatus(db, clock, c.id, "closed", "system", opts)) closed++;
  }
  return closed;
}

/** A removed (or deactivated) coordinator's open cases go to others. Returns how many moved. */
export async function reassignCasesOf(db: Db, clock: Clock, coordinatorId: number, settings: CaseSettings): Promise<number> {
  const held = await db.case.findMany({ where: { coordinatorId, status: { in: HELD_STATUSES } }, select: { id: true } });
  let moved = 0;
  for (const c of held) {
    const done = await transaction(db, async (tx) => {
      // Only while they still hold it: a case cancelled, closed or passed on since the read stays so.
      const { count } = await tx.case.updateMany({ where: { id: c.id, coordinatorId, status: { in: HELD_STATUSES } }, data: { status: "assigned" } });
      if (count === 0) return false;
      await passOn(tx, clock(), c.id, settings, "system", "reassigned", String(coordinatorId));
      return true;
    });
    if (done) moved++;
  }
  return moved;
}

export type ReassignResult = "reassigned" | "not_allowed" | "full" | "stale";

/**
 * A supervisor (or administrator) moves a case to a named coordinator who serves the case's region
 * (or every region) and has room for it.
 */
export async function reassignTo(db: Db, clock: Clock, caseId: number, toCoordinatorId: number, by: StaffActor): Promise<ReassignResult> {
  return orFull(transaction(db, async (tx): Promise<ReassignResult> => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    const me = await tx.coordinator.findUnique({ where: { id: by.coordinatorId } });
    if (!c || !caseAccess({ coordinator: me, admin: by.admin }, c, []).reassign) return "not_allowed";
    const to = await tx.coordinator.findUnique({ where: { id: toCoordinatorId } });
    if (!to?.active || !servesRegion(to.regions, c.regionCode)) return "not_allowed";
    if (!["new", ...HELD_STATUSES].includes(c.status as CaseStatus) || c.coordinatorId === to.id) return "stale";
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: c.status, coordinatorId: c.coordinatorId }, data: { status: "assigned", coordinatorId: to.id, offeredAt: now } });
    if (count === 0) return "stale";
    if (!(await claimLoad(tx, to.id, now))) throw new NoRoom();
    if (c.coordinatorId !== null && HELD_STATUSES.includes(c.status as CaseStatus)) await releaseLoad(tx, c.coordinatorId);
    await event(tx, caseId, now, `coordinator:${by.coordinatorId}`, "reassigned", String(to.id));
    await enqueue(tx, now, `ping:${caseId}:${to.id}:re${now.getTime()}`, to.telegramId, { kind: "ping", caseId, coordinatorId: to.id });
    return "reassigned";
  }));
}
