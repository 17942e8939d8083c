// Telegram re-delivers updates (webhook retries, restarts while polling). Each update id is
// recorded once handled, so a second delivery is recognised and skipped.
import type { Db } from "../db/client.js";

export async function wasProcessed(db: Db, updateId: number): Promise<boolean> {
  return (await db.processedUpdate.findUnique({ where: { updateId: BigInt(updateId) }, select: { updateId: true } })) !== null;
}

export async function markProcessed(db: Db, updateId: number, at: Date): Promise<void> {
  // createMany + skipDuplicates is not on SQLite; a lost race simply means it is already recorded.
  await db.processedUpdate.create({ data: { updateId: BigInt(updateId), processedAt: at } }).catch((err: { code?: string }) => {
    if (err?.code !== "P2002") throw err;
  });
}

/** Telegram keeps undelivered updates for 24 hours; older records are no longer needed. */
export async function pruneProcessed(db: Db, olderThan: Date): Promise<number> {
  const { count } = await db.processedUpdate.deleteMany({ where: { processedAt: { lt: olderThan } } });
  return count;
}
