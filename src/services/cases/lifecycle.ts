// Requests for help and their lifecycle:
//   new → assigned (a coordinator is pinged) → in_progress (taken) ⇄ waiting (for the requester)
//   → resolved → closed; cancelled by the requester at any open point.
// Every change is one transaction that also writes the timeline event and queues the notices, so
// the database decides races (two Takes, a cancel during a reassignment) and nothing is lost.
import type { Db, Tx } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { enqueue, type Notice } from "../delivery/outbox.js";
import { enqueueRelay } from "./messages.js";
import { pickCoordinator, splitList } from "./assignment.js";
import { candidatesFor } from "./pool.js";
import { HELD_STATUSES, OPEN_STATUSES, type CaseStatus, type Category, type DeclineReason, type Urgency } from "../vocabulary.js";

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

/** Keeps a coordinator's count of held cases in step; assignment reads it instead of counting cases. */
export async function adjustLoad(tx: Tx, coordinatorId: number, delta: 1 | -1, now?: Date) {
  await tx.coordinator.update({
    where: { id: coordinatorId },
    data: delta === 1 ? { openCases: { increment: 1 }, lastAssignedAt: now } : { openCases: { decrement: 1 } },
  });
}

/** Queues a notice to the person who asked for help. */
export async function notifyRequester(tx: Tx, now: Date, requesterId: number, key: string, notice: Notice) {
  const requester = await tx.person.findUniqueOrThrow({ where: { id: requesterId }, select: { telegramId: true } });
  await enqueue(tx, now, key, requester.telegramId, notice);
}

async function event(tx: Tx, caseId: number, at: Date, actor: string, type: string, detail?: string) {
  await tx.caseEvent.create({ data: { caseId, at, actor, type, detail: detail ?? null } });
}

/**
 * Offers the case to the best free coordinator (not those who passed on it) and queues their ping.
 * With nobody free the case stays `new`, and administrators and supervisors are told.
 */
export async function offer(tx: Tx, now: Date, caseId: number, settings: CaseSettings, quietIfNone = false): Promise<number | null> {
  const c = await tx.case.findUniqueOrThrow({ where: { id: caseId } });
  const exclude = new Set(splitList(c.passedBy).map(Number));
  const chosen = pickCoordinator(await candidatesFor(tx, c.category, c.regionCode), { category: c.category, regionCode: c.regionCode, exclude });
  if (!chosen && quietIfNone) return null;
  if (!chosen) {
    await tx.case.update({ where: { id: caseId }, data: { status: "new", coordinatorId: null, offeredAt: null } });
    await event(tx, caseId, now, "system", "unassigned");
    const supervisors = await tx.coordinator.findMany({ where: { active: true, supervisor: true }, select: { telegramId: true } });
    const targets = new Set([...settings.adminTelegramIds.map(BigInt), ...supervisors.map((s) => s.telegramId)]);
    for (const t of targets) await enqueue(tx, now, `unassigned:${caseId}:${exclude.size}:${t}`, t, { kind: "unassigned", caseId });
    return null;
  }
  await tx.case.update({ where: { id: caseId }, data: { status: "assigned", coordinatorId: chosen.id, offeredAt: now } });
  await adjustLoad(tx, chosen.id, 1, now);
  await event(tx, caseId, now, "system", "assigned", String(chosen.id));
  await enqueue(tx, now, offerPingKey(caseId, chosen.id, exclude.size), chosen.telegramId, { kind: "ping", caseId, coordinatorId: chosen.id });
  return chosen.id;
}

/** Releases the case from its coordinator (declined, lapsed, removed) and offers it to the next. */
async function passOn(tx: Tx, now: Date, caseId: number, settings: CaseSettings, actor: string, type: string, detail?: string) {
  const c = await tx.case.findUniqueOrThrow({ where: { id: caseId } });
  if (c.coordinatorId !== null) {
    await adjustLoad(tx, c.coordinatorId, -1);
    await tx.case.update({ where: { id: caseId }, data: { passedBy: [...splitList(c.passedBy), String(c.coordinatorId)].join(","), coordinatorId: null } });
  }
  await event(tx, caseId, now, actor, type, detail);
  return offer(tx, now, caseId, settings);
}

export type TakeResult = "taken" | "already_taken" | "not_allowed" | "not_found";

/** A coordinator presses Take. Exactly one press wins; the database decides. */
export async function takeCase(db: Db, clock: Clock, caseId: number, coordinatorId: number): Promise<TakeResult> {
  return db.$transaction(async (tx) => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    if (!c) return "not_found";
    const me = await tx.coordinator.findUnique({ where: { id: coordinatorId } });
    if (!me?.active) return "not_allowed";
    const asked = c.coordinatorId === coordinatorId || (await tx.caseEvent.count({ where: { caseId, type: "colleague_asked", detail: String(coordinatorId) } })) > 0;
    if (!asked && !me.supervisor) return c.status === "assigned" ? "not_allowed" : "already_taken";
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: "assigned" }, data: { status: "in_progress", coordinatorId } });
    if (count === 0) return "already_taken";
    if (c.coordinatorId !== coordinatorId) {
      if (c.coordinatorId !== null) await adjustLoad(tx, c.coordinatorId, -1);
      await adjustLoad(tx, coordinatorId, 1, now);
    }
    await event(tx, caseId, now, `coordinator:${coordinatorId}`, "taken");
    await catchUp(tx, now, caseId, coordinatorId, me.telegramId);
    await notifyRequester(tx, now, c.requesterId, `status:${caseId}:taken`, { kind: "status", caseId, status: "in_progress" });
    return "taken";
  });
}

/** Pings show the start of a description; one longer than this is sent in full when the case is taken. */
export const PING_DESCRIPTION_MAX = 1000;

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
  return db.$transaction(async (tx) => {
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: "assigned", coordinatorId }, data: { offeredAt: null } });
    if (count === 0) return false;
    await passOn(tx, clock(), caseId, settings, `coordinator:${coordinatorId}`, "declined", reason);
    return true;
  });
}

/** "Ask a colleague": pings one more coordinator who may take the case instead. */
export async function askColleague(db: Db, clock: Clock, caseId: number, coordinatorId: number): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    if (!c || c.status !== "assigned" || c.coordinatorId !== coordinatorId) return null;
    const asked = await tx.caseEvent.findMany({ where: { caseId, type: "colleague_asked" }, select: { detail: true } });
    const exclude = new Set([coordinatorId, ...splitList(c.passedBy).map(Number), ...asked.map((a) => Number(a.detail))]);
    const colleague = pickCoordinator(await candidatesFor(tx, c.category, c.regionCode), { category: c.category, regionCode: c.regionCode, exclude });
    if (!colleague) return null;
    await event(tx, caseId, now, `coordinator:${coordinatorId}`, "colleague_asked", String(colleague.id));
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
  return db.$transaction(async (tx) => {
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
  return db.$transaction(async (tx) => {
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
 * caller's transaction (people/consent.ts, people/erasure.ts).
 */
export async function closeCasesOfPerson(tx: Tx, now: Date, personId: number, telegramId: bigint, reason: "consent_withdrawn" | "erased"): Promise<number[]> {
  const cases = await tx.case.findMany({ where: { requesterId: personId }, select: { id: true, status: true, coordinatorId: true } });
  const ids = cases.map((c) => c.id);
  await dropQueued(tx, telegramId, ids);
  for (const c of cases) {
    if (!OPEN_STATUSES.includes(c.status as CaseStatus)) continue;
    const { count } = await tx.case.updateMany({ where: { id: c.id, status: c.status }, data: { status: "cancelled", closedAt: now, lastActivityAt: now } });
    if (count === 0) continue;
    await event(tx, c.id, now, "system", "status", "cancelled");
    await event(tx, c.id, now, "system", reason);
    if (c.coordinatorId === null) continue;
    if (HELD_STATUSES.includes(c.status as CaseStatus)) await adjustLoad(tx, c.coordinatorId, -1);
    const coord = await tx.coordinator.findUniqueOrThrow({ where: { id: c.coordinatorId }, select: { telegramId: true } });
    // Only a coordinator who knows of the case is told: one who took it, or whose ping went out.
    const known = c.status !== "assigned" || (await tx.outbox.count({ where: { caseId: c.id, chatId: coord.telegramId, method: "ping", sentAt: { not: null } } })) > 0;
    if (known) await enqueue(tx, now, `closed:${c.id}:${reason}`, coord.telegramId, { kind: "closed_by_person", caseId: c.id, reason });
  }
  return ids;
}

/** Whatever is still queued to a person, or about their cases to anyone, is not sent. */
async function dropQueued(tx: Tx, telegramId: bigint, caseIds: number[]) {
  await tx.outbox.deleteMany({ where: { sentAt: null, OR: [{ chatId: telegramId }, { caseId: { in: caseIds } }] } });
}

/** Pings not answered within the acknowledgement time go to the next coordinator; supervisors are told. */
export async function escalateLapsed(db: Db, clock: Clock, settings: CaseSettings): Promise<number> {
  const now = clock();
  let moved = 0;
  for (const urgency of ["normal", "urgent"] as const) {
    const cutoff = new Date(now.getTime() - settings.ackSeconds[urgency] * 1000);
    const lapsed = await db.case.findMany({ where: { status: "assigned", urgency, offeredAt: { lt: cutoff } }, select: { id: true, coordinatorId: true, regionCode: true } });
    for (const c of lapsed) {
      const done = await db.$transaction(async (tx) => {
        // Taken or passed on meanwhile? Then leave it.
        const { count } = await tx.case.updateMany({ where: { id: c.id, status: "assigned", coordinatorId: c.coordinatorId, offeredAt: { lt: cutoff } }, data: { offeredAt: null } });
        if (count === 0) return false;
        const sups = await tx.coordinator.findMany({ where: { active: true, supervisor: true }, select: { telegramId: true, regions: true, id: true } });
        for (const s of sups.filter((s) => !s.regions || !c.regionCode || splitList(s.regions).includes(c.regionCode))) {
          await enqueue(tx, now, `lapsed:${c.id}:${c.coordinatorId}:${s.id}`, s.telegramId, { kind: "lapsed", caseId: c.id, coordinatorId: c.coordinatorId ?? 0 });
        }
        await passOn(tx, now, c.id, settings, "system", "lapsed", String(c.coordinatorId));
        return true;
      });
      if (done) moved++;
    }
  }
  // Cases nobody could take are offered again as coordinators come on duty or free up.
  const waiting = await db.case.findMany({ where: { status: "new" }, select: { id: true }, take: 50 });
  for (const c of waiting) {
    await db.$transaction(async (tx) => {
      // A no-op write that locks the row: of several processes only one offers the case.
      const { count } = await tx.case.updateMany({ where: { id: c.id, status: "new" }, data: { status: "new" } });
      if (count === 1 && (await offer(tx, now, c.id, settings, true)) !== null) moved++;
    });
  }
  return moved;
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
}

/** Changes status if the move is allowed from the current one; tells the requester. */
export async function changeStatus(db: Db, clock: Clock, caseId: number, to: CaseStatus, actor: string, opts: StatusOptions = {}): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    if (!c || !(opts.from ?? TRANSITIONS[to])?.includes(c.status as CaseStatus)) return false;
    const label = opts.label ?? to;
    const data: Record<string, unknown> = { status: to, lastActivityAt: now };
    if (to === "resolved") data.resolvedAt = now;
    if (to === "closed" || to === "cancelled") data.closedAt = now;
    const { count } = await tx.case.updateMany({ where: { id: caseId, status: c.status }, data });
    if (count === 0) return false;
    const releases = HELD_STATUSES.includes(c.status as CaseStatus) && !HELD_STATUSES.includes(to);
    if (releases && c.coordinatorId !== null) await adjustLoad(tx, c.coordinatorId, -1);
    await event(tx, caseId, now, actor, "status", label);
    if (actor !== "requester") await notifyRequester(tx, now, c.requesterId, `status:${caseId}:${label}:${now.getTime()}`, { kind: to === "resolved" ? "rate" : "status", caseId, status: label });
    if (to === "cancelled" && c.coordinatorId !== null) {
      const coord = await tx.coordinator.findUniqueOrThrow({ where: { id: c.coordinatorId }, select: { telegramId: true } });
      await enqueue(tx, now, `status:${caseId}:cancelled:coord`, coord.telegramId, { kind: "status", caseId, status: "cancelled" });
    }
    return true;
  });
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

/** A removed (or deactivated) coordinator's open cases go to others. */
export async function reassignCasesOf(db: Db, clock: Clock, coordinatorId: number, settings: CaseSettings): Promise<number> {
  const held = await db.case.findMany({ where: { coordinatorId, status: { in: HELD_STATUSES } }, select: { id: true } });
  for (const c of held) {
    await db.$transaction(async (tx) => {
      await tx.case.update({ where: { id: c.id }, data: { status: "assigned" } });
      await passOn(tx, clock(), c.id, settings, "system", "reassigned", String(coordinatorId));
    });
  }
  return held.length;
}

/** A supervisor moves a case to a named coordinator. */
export async function reassignTo(db: Db, clock: Clock, caseId: number, toCoordinatorId: number, actor: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    const to = await tx.coordinator.findUnique({ where: { id: toCoordinatorId } });
    if (!c || !to?.active || !["new", ...HELD_STATUSES].includes(c.status as CaseStatus) || c.coordinatorId === to.id) return false;
    if (c.coordinatorId !== null && HELD_STATUSES.includes(c.status as CaseStatus)) await adjustLoad(tx, c.coordinatorId, -1);
    await tx.case.update({ where: { id: caseId }, data: { status: "assigned", coordinatorId: to.id, offeredAt: now } });
    await adjustLoad(tx, to.id, 1, now);
    await event(tx, caseId, now, actor, "reassigned", String(to.id));
    await enqueue(tx, now, `ping:${caseId}:${to.id}:re${now.getTime()}`, to.telegramId, { kind: "ping", caseId, coordinatorId: to.id });
    return true;
  });
}
