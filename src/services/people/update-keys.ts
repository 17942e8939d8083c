// Per-update keys (services/delivery/updates.ts) carry the chat id of the person whose update it was:
// "m:<chat>:<message>", "e:<chat>:<message>:<edit>", "c:<telegram id>:<press>". Rows made by one
// person's update for others keep such a key for dedupe: an organiser's message to participants
// (EventMessage), the notices an organiser's press queued for participants (Outbox: "event changed",
// "approved"), a participant's sign-up queued for organisers. At erasure those keys are replaced by
// one made of the row's own id: still unique, and no re-delivered update of the erased person can
// come (their inbox rows are cleared), so nothing is lost but the link.
import type { Tx } from "../../db/client.js";

/** The LIKE patterns of a person's keys: at the start of a key, or after a colon inside one. */
function patterns(telegramId: bigint): string[] {
  return ["m", "e", "c"].flatMap((k) => [`${k}:${telegramId}:%`, `%:${k}:${telegramId}:%`]);
}

/** Replaces every per-update key of the person in rows made for others; returns how many. */
export async function unlinkUpdateKeys(tx: Tx, telegramId: bigint): Promise<number> {
  // One pass over each table (the outbox can be long): six patterns, bound, never spliced.
  const [a, b, c, d, e, f] = patterns(telegramId);
  const outbox = await tx.$executeRaw`UPDATE "Outbox" SET "key" = 'erased-key:' || CAST("id" AS TEXT)
    WHERE "key" LIKE ${a} OR "key" LIKE ${b} OR "key" LIKE ${c} OR "key" LIKE ${d} OR "key" LIKE ${e} OR "key" LIKE ${f}`;
  const messages = await tx.$executeRaw`UPDATE "EventMessage" SET "sourceKey" = 'erased-key:' || CAST("id" AS TEXT)
    WHERE "sourceKey" LIKE ${a} OR "sourceKey" LIKE ${b} OR "sourceKey" LIKE ${c} OR "sourceKey" LIKE ${d} OR "sourceKey" LIKE ${e} OR "sourceKey" LIKE ${f}`;
  return outbox + messages;
}
