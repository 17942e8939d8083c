// Messages a person wrote while the bot asked which of their cases they are for. They wait in the
// database (never in a hosted session store), at most MAX_HELD per chat, until the person chooses;
// withdrawal of consent, erasure and the expiry of unfinished forms clear them.
import type { Db } from "../../db/client.js";
import { transaction } from "../../db/transaction.js";
import type { Incoming } from "./messages.js";

/** Messages kept while the choice is open; more than this and the oldest are dropped. */
export const MAX_HELD = 10;

export async function holdMessage(db: Db, now: Date, m: Incoming): Promise<void> {
  const chatId = BigInt(m.chatId);
  await transaction(db, async (tx) => {
    const held = await tx.heldMessage.findMany({ where: { chatId }, orderBy: { id: "asc" }, select: { id: true, payload: true } });
    // A re-delivered update holds its message once.
    if (held.some((h) => (JSON.parse(h.payload) as Incoming).key === m.key)) return;
    const overflow = held.slice(0, Math.max(0, held.length + 1 - MAX_HELD)).map((h) => h.id);
    if (overflow.length) await tx.heldMessage.deleteMany({ where: { id: { in: overflow } } });
    await tx.heldMessage.create({ data: { chatId, payload: JSON.stringify(m), createdAt: now } });
  });
}

/** The held messages of a chat, oldest first, handed over once (they are deleted). */
export async function releaseHeld(db: Db, chatId: number): Promise<Incoming[]> {
  return transaction(db, async (tx) => {
    const rows = await tx.heldMessage.findMany({ where: { chatId: BigInt(chatId) }, orderBy: { id: "asc" } });
    if (rows.length) await tx.heldMessage.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    return rows.map((r) => JSON.parse(r.payload) as Incoming);
  });
}

/** Forgets what a chat had held (consent withdrawn, /cancel). Returns how many were dropped. */
export async function clearHeld(db: Pick<Db, "heldMessage">, chatId: number | bigint): Promise<number> {
  const { count } = await db.heldMessage.deleteMany({ where: { chatId: BigInt(chatId) } });
  return count;
}
