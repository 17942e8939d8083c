// The inbox of updates. Each update is written down as it arrives and marked handled when done:
// - a re-delivered update (webhook retries, polling after a restart) is recognised and skipped;
// - one update is handled by one process at a time: it is claimed, and the claim is renewed
//   while the handler works, so several processes on one database never both handle it;
// - an update the process was killed in the middle of, or whose handling failed (the database
//   was busy, say), is handled again later, at most MAX_ATTEMPTS times;
// - updates the bot does not serve (group chatter) are recorded without their content;
// - on PostgreSQL (several processes), a chat's updates are handled one at a time and in order
//   across processes: an update is claimed only while no other update of its chat is claimed and
//   no older one of its chat waits untried (see admitUpdate).
import type { Update } from "grammy/types";
import type { Db, Tx } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";
import { hotSql } from "../../db/direct.js";
import { isPostgres } from "../../db/url.js";
import { transaction } from "../../db/transaction.js";

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

export type Admission = "handle" | "already-handled" | "in-hand" | "waiting" | "given-up";

/**
 * Called as handling starts: records and claims the update and says whether to go on. `holder`
 * names the process (INSTANCE_NAME), kept on the row with the time of the claim.
 *
 * SQLite (one process by design; grammY's per-chat sequentialize keeps the order): the usual cases
 * take one statement, a new update recorded already claimed, or one recorded earlier (by polling,
 * or left unfinished) with the same key claimed if nobody holds it. Anything else (a copy handled or
 * in hand, an id Telegram reused) goes the long way, `admitInOrder`.
 *
 * PostgreSQL (several processes) always goes the long way, which also keeps a chat's order across
 * processes.
 */
export async function admitUpdate(db: Db, update: Update, at: Date, holder = "bot"): Promise<Admission> {
  const row = rowOf(update, at);
  if (isPostgres(db) || row.handledAt !== null) return admitInOrder(db, update, at, holder);
  const until = new Date(at.getTime() + CLAIM_MS);
  // SQL of our own (db/direct.ts): Prisma has no conditional upsert, and this runs for every update,
  // where one statement instead of three (and a transaction) counts.
  const claimed = await hotSql<{ attempts: number }>(db)`
    INSERT INTO "InboxUpdate" ("updateId", "payload", "chatId", "sourceKey", "receivedAt", "attempts", "claimedUntil", "claimedAt", "claimedBy")
    VALUES (${row.updateId}, ${row.payload}, ${row.chatId}, ${row.sourceKey}, ${at}, 1, ${until}, ${at}, ${holder})
    ON CONFLICT ("updateId") DO UPDATE SET "attempts" = "InboxUpdate"."attempts" + 1, "claimedUntil" = ${until}, "claimedAt" = ${at}, "claimedBy" = ${holder}
    WHERE "InboxUpdate"."sourceKey" = ${row.sourceKey} AND "InboxUpdate"."handledAt" IS NULL
      AND ("InboxUpdate"."claimedUntil" IS NULL OR "InboxUpdate"."claimedUntil" < ${at})
    RETURNING "attempts"`;
  if (claimed.length === 0) return admitInOrder(db, update, at, holder);
  return afterClaim(db, update, at, Number(claimed[0]!.attempts));
}

/** Key space of the per-chat advisory locks taken while claiming (pg_advisory_xact_lock(space, hash)). */
const CHAT_LOCK_SPACE = 727275;
/** Telegram keeps an update for 24 hours; an older untried one no longer holds its chat back. */
const ORDER_WINDOW_MS = 24 * 3600 * 1000;

/**
 * Whether another update of the chat comes first: one claimed now (by any process), or an older one
 * recorded and never tried. One that failed and was released does not hold the chat back (it is
 * retried by the recovery job), so one bad update cannot stall a person's conversation.
 */
async function chatBusy(tx: Tx, chatId: bigint, updateId: bigint, at: Date): Promise<boolean> {
  const before = await tx.inboxUpdate.findFirst({
    where: {
      chatId, handledAt: null, updateId: { not: updateId },
      OR: [{ claimedUntil: { gte: at } }, { updateId: { lt: updateId }, attempts: 0, payload: { not: null }, receivedAt: { gte: new Date(at.getTime() - ORDER_WINDOW_MS) } }],
    },
    select: { updateId: true },
  });
  return before !== null;
}

/**
 * The long way, a statement at a time: record (replacing a reused id), claim, read. On PostgreSQL
 * the claim is taken in a transaction that first holds a per-chat advisory lock (for the few
 * milliseconds of the claim, never while the handler runs), so two processes claiming updates of
 * one chat are serialised, and an update is claimed only when none of its chat is in hand and no
 * older one waits ("waiting": the process that finishes the chat's current update hands this one
 * on, see nextOfChat).
 */
async function admitInOrder(db: Db, update: Update, at: Date, holder: string): Promise<Admission> {
  const updateId = BigInt(update.update_id);
  await record(db, update, at);
  const chat = isPostgres(db) ? updateFacts(update).chatId : null;
  const claim = async (tx: Tx | Db): Promise<"claimed" | "waiting" | "no"> => {
    if (chat !== null) {
      await (tx as Tx).$executeRawUnsafe("SELECT pg_advisory_xact_lock($1, hashtext($2))", CHAT_LOCK_SPACE, String(chat));
      if (await chatBusy(tx as Tx, BigInt(chat), updateId, at)) return "waiting";
    }
    // claimedAt is the real moment of the claim (after the chat's lock), for operators and the load test.
    const { count } = await tx.inboxUpdate.updateMany({
      where: { updateId, handledAt: null, OR: [{ claimedUntil: null }, { claimedUntil: { lt: at } }] },
      data: { attempts: { increment: 1 }, claimedUntil: new Date(at.getTime() + CLAIM_MS), claimedAt: new Date(), claimedBy: holder },
    });
    return count ? "claimed" : "no";
  };
  const claimed = chat !== null ? await transaction(db, claim) : await claim(db);
  const row = await db.inboxUpdate.findUnique({ where: { updateId }, select: { handledAt: true, attempts: true } });
  if (claimed !== "claimed") return row?.handledAt ? "already-handled" : claimed === "waiting" ? "waiting" : "in-hand";
  return afterClaim(db, update, at, row?.attempts ?? 0);
}

/** A claimed update is handled, unless it already failed to finish too often. */
async function afterClaim(db: Db, update: Update, at: Date, attempts: number): Promise<Admission> {
  if (attempts > MAX_ATTEMPTS) {
    await markHandled(db, update.update_id, at);
    return "given-up";
  }
  return "handle";
}

/**
 * The chat's next update to hand on after one of its updates finished: the oldest recorded,
 * untried and unclaimed (another process may have been told to wait for it). Null when none.
 */
export async function nextOfChat(db: Db, chatId: number, at: Date): Promise<Update | null> {
  const row = await db.inboxUpdate.findFirst({
    where: { chatId: BigInt(chatId), handledAt: null, attempts: 0, payload: { not: null }, claimedUntil: null, receivedAt: { gte: new Date(at.getTime() - ORDER_WINDOW_MS) } },
    orderBy: { updateId: "asc" },
    select: { payload: true },
  });
  return row ? (JSON.parse(row.payload!) as Update) : null;
}

/** Keeps the claim alive while the handler still works (only the holder's own claim). */
export async function renewClaim(db: Db, updateId: number, at: Date, holder = "bot"): Promise<void> {
  await db.inboxUpdate.updateMany({ where: { updateId: BigInt(updateId), handledAt: null, claimedBy: holder }, data: { claimedUntil: new Date(at.getTime() + CLAIM_MS) } });
}

/** Handling ended: forget what it said. (db/direct.ts: one statement, where updateMany takes a transaction of three.) */
export async function markHandled(db: Db, updateId: number, at: Date): Promise<void> {
  await hotSql(db)`UPDATE "InboxUpdate" SET "handledAt" = ${at}, "payload" = NULL, "claimedUntil" = NULL WHERE "updateId" = ${BigInt(updateId)}`;
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
