// The inbox of updates. Each update is written down as it arrives and marked handled when done:
// - a re-delivered update (webhook retries, polling after a restart) is recognised and skipped;
// - one update is handled by one process at a time: it is claimed, and the claim is renewed
//   while the handler works, so several processes on one database never both handle it;
// - an update the process was killed in the middle of, or whose handling failed (the database
//   was busy, say), is handled again later, at most MAX_ATTEMPTS times;
// - updates the bot does not serve (group chatter) are recorded without their content.
import type { Update } from "grammy/types";
import type { Db } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";

/** An update that took the process down (or failed) this many times is given up, so nothing loops on it. */
export const MAX_ATTEMPTS = 3;

/** How long a claim lasts without renewal; the holder renews it every third of this while it works. */
export const CLAIM_MS = 60_000;

export interface UpdateFacts {
  /** A private chat (the bot serves only those); null otherwise. */
  chatId: number | null;
  /** What the update is: the same for a re-delivered copy, different for a new update with a reused id. */
  key: string;
  /** Whether the bot handles it (private chats and button presses); others keep no content. */
  ours: boolean;
}

/** The per-update key of a message: its chat and id (the same for a re-delivered copy, never shared by two chats). */
export const messageKey = (m: { chat: { id: number }; message_id: number }) => `m:${m.chat.id}:${m.message_id}`;
/** The per-update key of an edit: the message and the time of this edit (each edit is its own update). */
export const editKey = (m: { chat: { id: number }; message_id: number; edit_date?: number }) => `e:${m.chat.id}:${m.message_id}:${m.edit_date ?? 0}`;
/** The per-update key of a button press: Telegram's id of the press, with the presser. */
export const pressKey = (q: { id: string; from: { id: number } }) => `c:${q.from.id}:${q.id}`;

export function updateFacts(u: Update): UpdateFacts {
  const msg = u.message ?? u.edited_message;
  const chat = msg?.chat ?? u.callback_query?.message?.chat ?? u.my_chat_member?.chat;
  const privateChat = chat?.type === "private" ? chat.id : null;
  const key = u.message ? messageKey(u.message)
    : u.edited_message ? editKey(u.edited_message)
    : u.callback_query ? pressKey(u.callback_query)
    : `u:${u.update_id}`;
  const ours = privateChat !== null || (u.callback_query !== undefined && !u.callback_query.message);
  return { chatId: privateChat ?? (u.callback_query && !u.callback_query.message ? u.callback_query.from.id : null), key, ours };
}

function rowOf(update: Update, at: Date) {
  const f = updateFacts(update);
  return {
    updateId: BigInt(update.update_id),
    payload: f.ours ? JSON.stringify(update) : null,
    chatId: f.chatId === null ? null : BigInt(f.chatId),
    sourceKey: f.key,
    receivedAt: at,
    handledAt: f.ours ? null : at,
    attempts: 0,
    claimedUntil: null,
  };
}

/**
 * Records an update unless it is already there. A row with the same id but another key is an old
 * update whose id Telegram reused: it is replaced by the new one.
 */
async function record(db: Db, update: Update, at: Date): Promise<void> {
  const row = rowOf(update, at);
  try {
    await db.inboxUpdate.create({ data: row });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await db.inboxUpdate.updateMany({ where: { updateId: row.updateId, NOT: { sourceKey: row.sourceKey } }, data: row });
  }
}

/** Writes down a batch just fetched, before Telegram is told it was received. */
export async function receiveUpdates(db: Db, updates: readonly Update[], at: Date): Promise<void> {
  // createMany + skipDuplicates is not on SQLite; one row at a time, a copy already there is fine.
  for (const update of updates) await record(db, update, at);
}

export type Admission = "handle" | "already-handled" | "in-hand" | "given-up";

/** Called as handling starts: claims the update and says whether to go on. */
export async function admitUpdate(db: Db, update: Update, at: Date): Promise<Admission> {
  const updateId = BigInt(update.update_id);
  await record(db, update, at);
  const { count } = await db.inboxUpdate.updateMany({
    where: { updateId, handledAt: null, OR: [{ claimedUntil: null }, { claimedUntil: { lt: at } }] },
    data: { attempts: { increment: 1 }, claimedUntil: new Date(at.getTime() + CLAIM_MS) },
  });
  const row = await db.inboxUpdate.findUnique({ where: { updateId }, select: { handledAt: true, attempts: true } });
  if (count === 0) return row?.handledAt ? "already-handled" : "in-hand";
  if ((row?.attempts ?? 0) > MAX_ATTEMPTS) {
    await markHandled(db, update.update_id, at);
    return "given-up";
  }
  return "handle";
}

/** Keeps the claim alive while the handler still works. */
export async function renewClaim(db: Db, updateId: number, at: Date): Promise<void> {
  await db.inboxUpdate.updateMany({ where: { updateId: BigInt(updateId), handledAt: null }, data: { claimedUntil: new Date(at.getTime() + CLAIM_MS) } });
}

/** Handling ended: forget what it said. */
export async function markHandled(db: Db, updateId: number, at: Date): Promise<void> {
  await db.inboxUpdate.updateMany({ where: { updateId: BigInt(updateId) }, data: { handledAt: at, payload: null, claimedUntil: null } });
}

/** Handling failed: the update stays, unclaimed, to be handled again (services/jobs recover it). */
export async function releaseUpdate(db: Db, updateId: number): Promise<void> {
  await db.inboxUpdate.updateMany({ where: { updateId: BigInt(updateId), handledAt: null }, data: { claimedUntil: null } });
}

export async function isHandled(db: Db, updateId: number): Promise<boolean> {
  const row = await db.inboxUpdate.findUnique({ where: { updateId: BigInt(updateId) }, select: { handledAt: true } });
  return Boolean(row?.handledAt);
}

/** Frees every claim: for a single process starting, whose predecessor (the only holder) is dead. */
export async function releaseAllClaims(db: Db): Promise<void> {
  await db.inboxUpdate.updateMany({ where: { handledAt: null, claimedUntil: { not: null } }, data: { claimedUntil: null } });
}

/** Updates received between `since` and `receivedBefore` and never finished, oldest first; those another process holds are left to it. */
export async function unfinishedUpdates(db: Db, since: Date, now: Date, receivedBefore = now): Promise<Update[]> {
  const rows = await db.inboxUpdate.findMany({
    where: { handledAt: null, receivedAt: { gte: since, lte: receivedBefore }, payload: { not: null }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    orderBy: { updateId: "asc" },
    select: { payload: true },
  });
  return rows.map((r) => JSON.parse(r.payload!) as Update);
}

/** Telegram keeps undelivered updates for 24 hours; older records are no longer needed. */
export async function pruneInbox(db: Db, olderThan: Date): Promise<number> {
  const { count } = await db.inboxUpdate.deleteMany({ where: { receivedAt: { lt: olderThan } } });
  return count;
}
