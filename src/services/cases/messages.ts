// The conversation inside a case: what the requester and the coordinator write reaches the other
// side through the bot, marked with the case number; internal notes stay with staff.
import type { Db } from "../../db/client.js";
import type { Clock } from "../clock.js";
import { enqueue } from "../delivery/outbox.js";
import { notifyRequester } from "./lifecycle.js";
import { OPEN_STATUSES } from "../vocabulary.js";
import { caseAccess } from "./access.js";

export interface Incoming {
  text?: string;
  kind: "text" | "photo" | "document" | "other";
  fileId?: string;
  chatId: number;
  messageId: number;
}

/** The requester's open cases, the most recently active first. */
export async function openCasesOfRequester(db: Db, personId: number) {
  return db.case.findMany({
    where: { requesterId: personId, status: { in: [...OPEN_STATUSES] } },
    orderBy: { lastActivityAt: "desc" },
    select: { id: true, number: true, category: true },
  });
}

export async function addRequesterMessage(db: Db, clock: Clock, caseId: number, requesterId: number, m: Incoming): Promise<"relayed" | "queued" | "closed"> {
  return db.$transaction(async (tx) => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    if (!c || c.requesterId !== requesterId || !["new", "assigned", "in_progress", "waiting"].includes(c.status)) return "closed";
    const msg = await tx.caseMessage.create({ data: { caseId, author: "requester", text: m.text ?? null, kind: m.kind, fileId: m.fileId ?? null, createdAt: now } });
    await tx.case.update({ where: { id: caseId }, data: { lastActivityAt: now, ...(c.status === "waiting" ? { status: "in_progress" } : {}) } });
    if (c.status === "waiting") await tx.caseEvent.create({ data: { caseId, at: now, actor: "requester", type: "status", detail: "in_progress" } });
    if (c.coordinatorId === null || c.status === "new" || c.status === "assigned") return "queued";
    const coord = await tx.coordinator.findUniqueOrThrow({ where: { id: c.coordinatorId }, select: { telegramId: true } });
    await enqueue(tx, now, `relay:${msg.id}`, coord.telegramId, { kind: "relay", caseId, caseMessageId: msg.id, to: "coordinator", fromChatId: m.chatId, fromMessageId: m.messageId, text: m.text });
    return "relayed";
  });
}

/** A coordinator's reply (or internal note) in a case they hold, or any case of a supervisor. */
export async function addCoordinatorMessage(db: Db, clock: Clock, caseId: number, coordinatorId: number, m: Incoming, note: boolean): Promise<"relayed" | "noted" | "not_allowed" | "closed"> {
  return db.$transaction(async (tx) => {
    const now = clock();
    const c = await tx.case.findUnique({ where: { id: caseId } });
    const me = await tx.coordinator.findUnique({ where: { id: coordinatorId } });
    if (!c || !me?.active) return "not_allowed";
    if (!caseAccess({ coordinator: me }, c, [])[note ? "note" : "reply"]) return "not_allowed";
    if (!note && !["in_progress", "waiting", "resolved"].includes(c.status)) return "closed";
    const msg = await tx.caseMessage.create({ data: { caseId, author: note ? "note" : "coordinator", text: m.text ?? null, kind: m.kind, fileId: m.fileId ?? null, createdAt: now } });
    if (note) {
      await tx.caseEvent.create({ data: { caseId, at: now, actor: `coordinator:${coordinatorId}`, type: "note" } });
      return "noted";
    }
    await tx.case.update({ where: { id: caseId }, data: { firstResponseAt: c.firstResponseAt ?? now } });
    await notifyRequester(tx, now, c.requesterId, `relay:${msg.id}`, { kind: "relay", caseId, caseMessageId: msg.id, to: "requester", fromChatId: m.chatId, fromMessageId: m.messageId, text: m.text });
    return "relayed";
  });
}

/** The case a relayed copy belongs to, when someone replies to that copy. */
export async function caseOfRelayedMessage(db: Db, chatId: number, messageId: number): Promise<number | null> {
  const m = await db.caseMessage.findFirst({ where: { relayedChatId: BigInt(chatId), relayedMessageId: messageId }, select: { caseId: true } });
  return m?.caseId ?? null;
}

export async function recordRelayed(db: Db, caseMessageId: number, chatId: number, messageId: number): Promise<void> {
  await db.caseMessage.update({ where: { id: caseMessageId }, data: { relayedChatId: BigInt(chatId), relayedMessageId: messageId } });
}
