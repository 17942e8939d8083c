// The inbox of updates. Each update is written down as it arrives and marked handled when done:
// - a re-delivered update (webhook retries, polling after a restart) is recognised and skipped;
// - an update the process was killed in the middle of is handled again after the restart, since
//   with long polling Telegram will not send it again.
import type { Update } from "grammy/types";
import type { Db } from "../../db/client.js";
import { isUniqueViolation } from "../../db/errors.js";

/** An update that took the process down this many times is given up, so a start cannot loop on it. */
export const MAX_ATTEMPTS = 3;

/** Writes down a batch just fetched, before Telegram is told it was received. */
export async function receiveUpdates(db: Db, updates: readonly Update[], at: Date): Promise<void> {
  // createMany + skipDuplicates is not on SQLite; one row at a time, a copy already there is fine.
  for (const update of updates) {
    await db.inboxUpdate
      .create({ data: { updateId: BigInt(update.update_id), payload: JSON.stringify(update), receivedAt: at } })
      .catch((err) => {
        if (!isUniqueViolation(err)) throw err;
      });
  }
}

export type Admission = "handle" | "already-handled" | "given-up";

/** Called as handling starts: counts the attempt and says whether to go on. */
export async function admitUpdate(db: Db, update: Update, at: Date): Promise<Admission> {
  const updateId = BigInt(update.update_id);
  const row = await db.inboxUpdate.upsert({
    where: { updateId },
    create: { updateId, payload: JSON.stringify(update), receivedAt: at, attempts: 1 },
    update: { attempts: { increment: 1 } },
    select: { handledAt: true, attempts: true },
  });
  if (row.handledAt) return "already-handled";
  if (row.attempts > MAX_ATTEMPTS) {
    await markHandled(db, update.update_id, at);
    return "given-up";
  }
  return "handle";
}

/** Handling ended (also after an error the person was told about): forget what it said. */
export async function markHandled(db: Db, updateId: number, at: Date): Promise<void> {
  await db.inboxUpdate.updateMany({ where: { updateId: BigInt(updateId) }, data: { handledAt: at, payload: null } });
}

export async function isHandled(db: Db, updateId: number): Promise<boolean> {
  const row = await db.inboxUpdate.findUnique({ where: { updateId: BigInt(updateId) }, select: { handledAt: true } });
  return Boolean(row?.handledAt);
}

/** Updates received since `since` and never finished, oldest first. */
export async function unfinishedUpdates(db: Db, since: Date): Promise<Update[]> {
  const rows = await db.inboxUpdate.findMany({
    where: { handledAt: null, receivedAt: { gte: since }, payload: { not: null } },
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
