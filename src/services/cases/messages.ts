// The conversation inside a case: what the requester and the coordinator write reaches the other
// side through the bot, marked with the case number; internal notes stay with staff. Each message
// is stored once per update (its per-update key), and its relay is queued in the same transaction,
// in as many pieces as Telegram's limits need (relay.ts). Outbox payloads carry ids only: the
// words live in CaseMessage alone, so erasure removes them in one place.
import type { Db, Tx } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { Clock } from "../clock.js";
import { enqueue } from "../delivery/outbox.js";
import { relayParts } from "./relay.js";
import { OPEN_STATUSES, type CaseStatus, type MessageKind } from "../vocabulary.js";
import { hotSql } from "../../db/direct.js";
import { caseAccess } from "./access.js";
import { transaction } from "../../db/transaction.js";

export interface Incoming {
  /** The text, or the caption of a file. */
  text?: string;
  kind: MessageKind;
  fileId?: string;
  chatId: number;
  messageId: number;
  /** Per-update key (the chat and its message id): the same message is stored and relayed once. */
  key: string;
}

/**
 * The requester's open cases, the most recently active first. Asked for every message a person
 * sends, so in SQL of our own (db/direct.ts); the statuses are filtered here, from the one list.
 */
export async function openCasesOfRequester(db: Db, personId: number): Promise<{ id: number; number: string; category: string }[]> {
  const rows = await hotSql<{ id: number; number: string; category: string; status: string }>(db)`
    SELECT "id", "number", "category", "status" FROM "Case" WHERE "requesterId" = ${personId} ORDER BY "lastActivityAt" DESC, "id" DESC`;
  return rows.filter((r) => OPEN_STATUSES.includes(r.status as CaseStatus)).map((r) => ({ id: Number(r.id), number: r.number, category: r.category }));
}

/**
 * Queues the pieces of a stored message for `chatId`. `keyPrefix` names the delivery (the live
 * relay, or the catch-up a coordinator gets when taking a case), so each piece goes once to each.
 */
export async function enqueueRelay(tx: Tx, now: Date, msg: { id: number; caseId: number; kind: string; text: string | null; fileId: string | null }, chatId: bigint, to: "coordinator" | "requester", keyPrefix = "relay") {
  const parts = relayParts(msg).length;
  for (let part = 0; part < parts; part++) {
    await enqueue(tx, now, `${keyPrefix}:${msg.id}:${part}`, chatId, { kind: "relay", caseId: msg.caseId, caseMessageId: msg.id, to, part });
  }
}

/** Runs `write` once per message key: a second copy of the update gets `again` instead. */
async function once<T>(db: Db, key: string, write: (tx: Tx) => Promise<T>, again: (tx: Tx, caseId: number) => Promise<T>): Promise<T> {
  const attempt = () =>
    transaction(db, async (tx) => {
      const seen = await tx.caseMessage.findUnique({ where: { sourceKey: key }, select: { caseId: true } });
      return seen ? again(tx, seen.caseId) : write(tx);
    });
  try {
    return await attempt();
  } catch (err) {
    if (isUniqueViolation(err)) return attempt(); // two copies at once: the second now finds the first
    throw err;
  }
}

export type RequesterResult = "relayed" | "queued" | "closed";

const requesterOutcome = (c: { status: string; coordinatorId: number | null }): RequesterResult =>
  !OPEN_STATUSES.includes(c.status as never) ? "closed" : c.coordinatorId !== null && (c.status === "in_progress" || c.status === "waiting") ? "relayed" : "queued";

export async function addRequesterMessage(db: Db, clock: Clock, caseId: number, requesterId: number, m: Incoming): Promise<RequesterResult> {
  return once(
    db,
    m.key,
    async (tx) => {
      const now = clock();
      // Write first, then read: the row lock orders this after a Take in flight, so a message is
      // either relayed live or found by the Take's catch-up, never neither.
      const { count } = await tx.case.updateMany({ where: { id: caseId, requesterId, status: { in: OPEN_STATUSES } }, data: { lastActivityAt: now } });
      if (count === 0) return "closed";
      const c = await tx.case.findUniqueOrThrow({ where: { id: caseId } });
      const msg = await tx.caseMessage.create({ data: { caseId, author: "requester", text: m.text ?? null, kind: m.kind, fileId: m.fileId ?? null, sourceKey: m.key, createdAt: now } });
      if (c.status === "waiting") {
        await tx.case.update({ where: { id: caseId }, data: { status: "in_progress" } });
        await tx.caseEvent.create({ data: { caseId, at: now, actor: "requester", type: "status", detail: "in_progress" } });
      }
      const result = requesterOutcome(c);
      if (result !== "relayed") return result; // the coordinator who takes it gets it then (lifecycle.takeCase)
      const coord = await tx.coordinator.findUniqueOrThrow({ where: { id: c.coordinatorId! }, select: { telegramId: true } });
      await enqueueRelay(tx, now, msg, coord.telegramId, "coordinator");
      return result;
    },
    async (tx, seenCase) => requesterOutcome(await tx.case.findUniqueOrThrow({ where: { id: seenCase } })),
  );
}

export type CoordinatorResult = "relayed" | "noted" | "not_allowed" | "closed";

/** A coordinator's reply (or internal note) in a case the access rule (access.ts) lets them act on. */
export async function addCoordinatorMessage(db: Db, clock: Clock, caseId: number, coordinatorId: number, m: Incoming, note: boolean): Promise<CoordinatorResult> {
  return once(
    db,
    m.key,
    async (tx) => {
      const now = clock();
      const c = await tx.case.findUnique({ where: { id: caseId } });
      const me = await tx.coordinator.findUnique({ where: { id: coordinatorId } });
      if (!c || !me?.active) return "not_allowed";
      if (!caseAccess({ coordinator: me }, c, [])[note ? "note" : "reply"]) return "not_allowed";
      if (!note && !["in_progress", "waiting", "resolved"].includes(c.status)) return "closed";
      const msg = await tx.caseMessage.create({ data: { caseId, author: note ? "note" : "coordinator", text: m.text ?? null, kind: m.kind, fileId: m.fileId ?? null, sourceKey: m.key, createdAt: now } });
      if (note) {
        await tx.caseEvent.create({ data: { caseId, at: now, actor: `coordinator:${coordinatorId}`, type: "note" } });
        return "noted";
      }
      await tx.case.update({ where: { id: caseId }, data: { firstResponseAt: c.firstResponseAt ?? now } });
      const requester = await tx.person.findUniqueOrThrow({ where: { id: c.requesterId }, select: { telegramId: true } });
      await enqueueRelay(tx, now, msg, requester.telegramId, "requester");
      return "relayed";
    },
    async () => (note ? "noted" : "relayed"),
  );
}

/** The case a relayed copy (or a ping or notice about a case) belongs to, when someone replies to it. */
export async function caseOfRelayedMessage(db: Db, chatId: number, messageId: number): Promise<number | null> {
  const m = await db.caseMessage.findFirst({ where: { relayedChatId: BigInt(chatId), relayedMessageId: messageId }, select: { caseId: true } });
  if (m) return m.caseId;
  const sent = await db.outbox.findFirst({ where: { chatId: BigInt(chatId), sentMessageId: messageId, caseId: { not: null } }, select: { caseId: true } });
  return sent?.caseId ?? null;
}

export async function recordRelayed(db: Db, caseMessageId: number, chatId: number, messageId: number): Promise<void> {
  await db.caseMessage.updateMany({ where: { id: caseMessageId, relayedMessageId: null }, data: { relayedChatId: BigInt(chatId), relayedMessageId: messageId } });
}
